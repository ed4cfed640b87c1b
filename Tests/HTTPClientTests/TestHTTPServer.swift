import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import TestSupport

/// A real Hummingbird server on a free port of the loopback interface, for the client's tests.
///
/// Its routes each provoke one behaviour of the client: slow answers, large and streamed
/// bodies, echoes of what arrived, a redirect, custom headers.
enum TestHTTPServer {
    /// Runs `body` with the port of a server listening on `host`, then stops the server.
    static func withRunning<T: Sendable>(
        host: String = "127.0.0.1",
        _ body: @Sendable (_ port: Int) async throws -> T
    ) async throws -> T {
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "test-http-server")
        logger.logLevel = .critical  // a request cut off at the end logs errors
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(host, port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        return try await withLocalServer(app, ports: ports, body)
    }

    private static func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("hello") { _, _ in "hello" }
        router.get("slow") { request, _ -> String in
            let milliseconds = request.uri.queryParameters.get("ms", as: Int.self) ?? 1000
            try await Task.sleep(for: .milliseconds(milliseconds))
            return "slow"
        }
        router.get("bytes") { request, _ -> Response in
            let count = request.uri.queryParameters.get("count", as: Int.self) ?? 0
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: patternBytes(count: count))))
        }
        router.get("stream") { request, _ -> Response in
            // No Content-Length: the client learns the size only as the chunks arrive.
            let count = request.uri.queryParameters.get("count", as: Int.self) ?? 0
            let body = ResponseBody { writer in
                let all = ByteBuffer(bytes: patternBytes(count: count))
                var sent = 0
                while sent < count {
                    let size = min(64 << 10, count - sent)
                    if let chunk = all.getSlice(at: sent, length: size) { try await writer.write(chunk) }
                    sent += size
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, body: body)
        }
        router.get("drip") { request, _ -> Response in
            // `count` chunks of `size` bytes, `ms` apart: a held stream like a model's.
            let count = request.uri.queryParameters.get("count", as: Int.self) ?? 1
            let size = request.uri.queryParameters.get("size", as: Int.self) ?? 16
            let milliseconds = request.uri.queryParameters.get("ms", as: Int.self) ?? 10
            let body = ResponseBody { writer in
                let chunk = ByteBuffer(bytes: patternBytes(count: size))
                for _ in 0..<count {
                    try await Task.sleep(for: .milliseconds(milliseconds))
                    try await writer.write(chunk)
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream"], body: body)
        }
        router.post("echo") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 16 << 20)
            var headers = HTTPFields()
            headers[.echoTest] = request.headers[.xTest] ?? "(missing)"
            headers[.echoContentType] = request.headers[.contentType] ?? "(missing)"
            headers[.echoMethod] = request.method.rawValue
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
        }
        router.get("redirect") { _, _ -> Response in
            Response(status: .found, headers: [.location: "/hello"])
        }
        router.get("headers") { _, _ -> Response in
            Response(status: .ok, headers: [.custom: "custom-value"], body: .init(byteBuffer: ByteBuffer(string: "ok")))
        }
        router.get("host") { request, _ in request.head.authority ?? "(none)" }
        return router
    }
}

/// The bytes the test server sends for a body of `count` bytes: a pattern, so a body that
/// arrives reordered or truncated does not compare equal.
func patternBytes(count: Int) -> [UInt8] {
    // Whole blocks at a time: byte-by-byte would take seconds in a debug build.
    let block = (0..<251).map { UInt8($0) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    while bytes.count < count { bytes += block.prefix(count - bytes.count) }
    return bytes
}

struct TestServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension HTTPField.Name {
    fileprivate static let xTest = Self("X-Test")!
    fileprivate static let echoTest = Self("X-Echo-Test")!
    fileprivate static let echoContentType = Self("X-Echo-Content-Type")!
    fileprivate static let echoMethod = Self("X-Echo-Method")!
    fileprivate static let custom = Self("X-Custom-Header")!
}
