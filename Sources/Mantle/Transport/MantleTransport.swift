public import HTTPClient

/// What `MantleClient` sends its HTTP requests through.
///
/// The real transport is `HTTPClient` (libcurl); taking a protocol lets tests feed recorded Mantle
/// bytes to the decoding and error classification without a network.
public protocol MantleTransport: Sendable {
    /// Sends one request and returns the complete response, or throws `HTTPClientError`.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
    /// Sends one request and returns once the answer's head is in, its body still arriving.
    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse
}

extension MantleTransport {
    /// A transport with recorded whole answers cannot stream: streamed calls fail as unsupported.
    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        throw HTTPClientError(kind: .other, message: "this transport does not stream", url: request.url)
    }
}

extension HTTPClient: MantleTransport {
    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        try await stream(request, bufferLimit: 256 << 10)
    }
}
