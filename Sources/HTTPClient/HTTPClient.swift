/// An asynchronous HTTP client over libcurl's multi interface (implementation pending).
public final class HTTPClient: Sendable {
    public init() {}

    /// Sends `request` and returns the complete response, or throws `HTTPClientError`.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw HTTPClientError(kind: .other, message: "not implemented yet", url: request.url)
    }
}
