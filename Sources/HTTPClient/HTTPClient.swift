public import Logging

/// An asynchronous HTTP client over libcurl's multi interface.
///
/// One owner thread per client drives every transfer, so thousands of concurrent requests cost
/// sockets, not threads. Connections are kept alive and reused, HTTP/2 is used where the server
/// offers it over TLS, redirects are never followed. Create one per process (or per purpose) and
/// call `shutdown()` before dropping it.
public final class HTTPClient: Sendable {
    /// The limits and policies this client was created with.
    public let configuration: Configuration
    let loop: TransferLoop

    /// Creates a client and starts its owner thread.
    public init(configuration: Configuration = .init(), logger: Logger = Logger(label: "longhaul.http-client")) {
        CurlRuntime.ensureInitialised()  // before our thread (or any) uses libcurl
        self.configuration = configuration
        self.loop = TransferLoop(configuration: configuration, logger: logger)
    }

    deinit {
        // Dropped without `shutdown()`: let the owner thread free libcurl's resources anyway.
        loop.requestStop()
    }

    /// Sends `request` and returns the complete response (any status, 3xx included).
    ///
    /// Throws only `HTTPClientError`: `.cancelled` promptly when the calling task is cancelled,
    /// `.shutdown` once `shutdown()` has been called, and otherwise the kind of failure.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transfer = Transfer(request: try PreparedRequest(request))
        let loop = self.loop
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.continuation = continuation
                if !loop.submit(transfer) {
                    transfer.finish(.failure(HTTPClientError(
                        kind: .shutdown,
                        message: "the HTTP client was shut down; create a new one to send more requests",
                        url: transfer.request.redactedURL)))
                }
            }
        } onCancel: {
            loop.cancel(transfer)
        }
    }

    /// Fails every pending request with `.shutdown`, closes all connections and stops the owner
    /// thread; returns once it has. Later `send` calls fail with `.shutdown`.
    public func shutdown() async {
        await loop.stop()
    }
}
