import Foundation
import HTTPClient
import Testing

/// The error `operation` throws, recording an issue if it succeeds or throws something else.
func failure(
    of operation: () async throws -> HTTPResponse,
    sourceLocation: SourceLocation = #_sourceLocation
) async -> HTTPClientError? {
    do {
        let response = try await operation()
        Issue.record("expected an error, got status \(response.status)", sourceLocation: sourceLocation)
    } catch let error as HTTPClientError {
        return error
    } catch {
        Issue.record("expected an HTTPClientError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Runs `body` with a fresh client and a test server's port; shuts the client down afterwards
/// (so no kept-alive connection holds the server open).
func withClientAndServer(
    configuration: HTTPClient.Configuration = .init(),
    serverHost: String = "127.0.0.1",
    _ body: @Sendable (HTTPClient, _ port: Int) async throws -> Void
) async throws {
    try await TestHTTPServer.withRunning(host: serverHost) { port in
        let client = HTTPClient(configuration: configuration)
        do {
            try await body(client, port)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }
}

/// How many of this machine's IPv4 TCP connections to `port` are established, counted from the
/// client's side (`/proc/net/tcp`: the remote port is `port`, the state `01`).
func establishedConnections(toPort port: Int) throws -> Int {
    // Read to the end: a /proc file reports a size of 0, so a read sized by it finds nothing.
    let file = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/net/tcp"))
    defer { try? file.close() }
    let table = String(decoding: try file.readToEnd() ?? Data(), as: UTF8.self)
    let hex = String(port, radix: 16, uppercase: true)
    let remote = ":" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    return table.split(separator: "\n").dropFirst().count { line in
        let fields = line.split(separator: " ")
        return fields.count > 3 && fields[2].hasSuffix(remote) && fields[3] == "01"
    }
}
