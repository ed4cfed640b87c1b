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
