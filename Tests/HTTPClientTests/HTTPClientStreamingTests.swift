import Foundation
import HTTPClient
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Held streams: the body as it arrives, backpressure, the idle timeout, a cut, cancellation,
/// and many streams at once on one client.
@Suite struct HTTPClientStreamingTests {
    @Test func aStreamedBodyArrivesWholeAndInOrder() async throws {
        try await withClientAndServer { client, port in
            let response = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(port)/stream?count=300000"))
            #expect(response.status == 200)
            var received: [UInt8] = []
            for try await chunk in response.body { received += chunk }
            #expect(received == patternBytes(count: 300_000))
        }
    }

    /// A reader far slower than the sender: the transfer pauses at the small buffer and resumes
    /// each time the reader takes it, and not a byte is lost or reordered.
    @Test func aSlowReaderPausesTheTransferWithoutLosingBytes() async throws {
        try await withClientAndServer { client, port in
            let response = try await client.stream(
                HTTPRequest(url: "http://127.0.0.1:\(port)/stream?count=1000000", timeout: .seconds(600)), bufferLimit: 16 << 10)
            var received: [UInt8] = []
            var chunks = 0
            for try await chunk in response.body {
                received += chunk
                chunks += 1
                #expect(chunk.count <= 32 << 10, "a chunk never exceeds the buffer limit plus one write")
                if chunks % 16 == 0 { try await Task.sleep(for: .milliseconds(1)) }
            }
            #expect(received == patternBytes(count: 1_000_000))
        }
    }

    @Test func anErrorStatusArrivesWithItsBody() async throws {
        let server = try RawSocketServer { socket in
            RawSocketServer.respond(
                socket,
                with: Array(
                    "HTTP/1.1 529 Overloaded\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"type\":\"err\"}\n".utf8))
        }
        defer { server.stop() }
        let client = HTTPClient()
        let response = try await client.stream(HTTPRequest(method: .post, url: "http://127.0.0.1:\(server.port)/v1"))
        #expect(response.status == 529)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(String(decoding: try await response.collect(upTo: 1 << 20), as: UTF8.self) == "{\"type\":\"err\"}\n")
        await client.shutdown()
    }

    /// The head and a first event, then silence with the connection open: the idle timeout ends it.
    @Test func aSilentStreamFailsWithIdleTimeout() async throws {
        let server = try RawSocketServer { socket in
            send(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
            waitForClose(socket)
        }
        defer { server.stop() }
        let client = HTTPClient()
        let response = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(server.port)/", idleTimeout: .seconds(1)))
        var received = ""
        let error = await streamFailure {
            for try await chunk in response.body { received += String(decoding: chunk, as: UTF8.self) }
        }
        #expect(received == "hello")
        #expect(error?.kind == .idleTimeout)
        await client.shutdown()
    }

    /// A stream the peer cuts mid-way (a reset, no terminating chunk) is an error, never an end.
    @Test func aCutStreamFailsWithConnectionReset() async throws {
        let server = try RawSocketServer { socket in
            send(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
            usleep(50_000)
            RawSocketServer.reset(socket)
        }
        defer { server.stop() }
        let client = HTTPClient()
        let response = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(server.port)/"))
        let error = await streamFailure { for try await _ in response.body {} }
        #expect(error?.kind == .connectionReset)
        await client.shutdown()
    }

    /// Cancelling the reading task ends the iteration with `.cancelled` and closes the connection
    /// (the server sees end of file).
    @Test func cancellingTheReaderClosesTheTransfer() async throws {
        let closed = Atomic<Bool>(false)
        let server = try RawSocketServer { socket in
            send(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
            waitForClose(socket)
            closed.store(true, ordering: .sequentiallyConsistent)
        }
        defer { server.stop() }
        let client = HTTPClient()
        let response = try await client.stream(HTTPRequest(url: "http://127.0.0.1:\(server.port)/"))
        let reader = Task {
            await streamFailure { for try await _ in response.body {} }
        }
        try await Task.sleep(for: .milliseconds(100))
        reader.cancel()
        #expect(await reader.value?.kind == .cancelled)
        for _ in 0..<500 where !closed.load(ordering: .sequentiallyConsistent) { try await Task.sleep(for: .milliseconds(10)) }
        let serverSawClose = closed.load(ordering: .sequentiallyConsistent)
        #expect(serverSawClose, "the server saw the connection closed")
        await client.shutdown()
    }

    /// 300 streams held at once by one client (one thread): every one arrives whole.
    @Test func manyConcurrentStreamsOnOneClient() async throws {
        try await withClientAndServer(configuration: .init(maxConnectionsPerHost: 1024)) { client, port in
            let complete = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<300 {
                    group.addTask {
                        let response = try await client.stream(
                            HTTPRequest(url: "http://127.0.0.1:\(port)/drip?count=20&size=40&ms=20", timeout: .seconds(600)))
                        var count = 0
                        for try await chunk in response.body { count += chunk.count }
                        return count == 800
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(complete == 300)
        }
    }
}

/// The `HTTPClientError` that `body` throws, or nil (recording an issue) if it ends normally.
private func streamFailure(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> HTTPClientError? {
    do {
        try await body()
        Issue.record("expected the stream to fail", sourceLocation: sourceLocation)
    } catch let error as HTTPClientError {
        return error
    } catch {
        Issue.record("expected an HTTPClientError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

private func send(_ socket: Int32, _ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
}

/// Blocks until the peer closes `socket` (or 120 s pass: a loaded machine can starve the test's
/// task for tens of seconds), then closes it.
private func waitForClose(_ socket: Int32) {
    var timeout = timeval(tv_sec: 120, tv_usec: 0)
    setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var buffer = [UInt8](repeating: 0, count: 1024)
    while recv(socket, &buffer, buffer.count, 0) > 0 {}
    close(socket)
}
