public import HTTPClient

/// What `MantleClient` sends its HTTP requests through.
///
/// The real transport is `HTTPClient` (libcurl); taking a protocol lets tests feed recorded Mantle
/// bytes to the decoding and error classification without a network.
public protocol MantleTransport: Sendable {
    /// Sends one request and returns the complete response, or throws `HTTPClientError`.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

extension HTTPClient: MantleTransport {}
