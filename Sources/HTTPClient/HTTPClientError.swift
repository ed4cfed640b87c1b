/// Why an HTTP exchange produced no response. The kinds are distinct because retry decisions
/// depend on them: a refused connection is safe to retry, a timeout after sending may not be.
public struct HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The whole exchange ran past `HTTPRequest.timeout`.
        case timeout
        /// No byte arrived for `HTTPRequest.idleTimeout` after the request was sent.
        case idleTimeout
        /// The connection could not be established within `HTTPRequest.connectTimeout`.
        case connectTimeout
        case connectionRefused
        /// The peer closed or reset the connection before a complete response arrived.
        case connectionReset
        case dnsFailure
        case tlsFailure
        case responseTooLarge
        case invalidRequest
        case cancelled
        /// The client was shut down before the request finished.
        case shutdown
        case other
    }

    public var kind: Kind
    /// What went wrong, in words; never contains request headers or bodies.
    public var message: String
    /// Scheme, host, port and path of the request; never the query string, which may hold a secret.
    public var url: String

    public init(kind: Kind, message: String, url: String) {
        self.kind = kind
        self.message = message
        self.url = url
    }

    public var description: String { "HTTP request to \(url) failed (\(kind.rawValue)): \(message)" }
}
