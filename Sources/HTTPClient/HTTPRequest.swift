public import Foundation

/// An HTTP method; a struct rather than an enum so that any token the caller needs can be sent.
public struct HTTPMethod: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let get = HTTPMethod(rawValue: "GET")
    public static let post = HTTPMethod(rawValue: "POST")
    public static let put = HTTPMethod(rawValue: "PUT")
    public static let patch = HTTPMethod(rawValue: "PATCH")
    public static let delete = HTTPMethod(rawValue: "DELETE")
    public static let head = HTTPMethod(rawValue: "HEAD")

    public var description: String { rawValue }
}

/// One request for `HTTPClient.send`: what to send and the limits that apply to it.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// An absolute `http://` or `https://` URL.
    public var url: String
    public var headers: HTTPHeaders
    public var body: Data?
    /// The whole exchange, connect included, must finish within this.
    public var timeout: Duration
    /// Establishing the connection (TCP and TLS) must finish within this.
    public var connectTimeout: Duration
    /// A response body larger than this fails with `.responseTooLarge` instead of filling memory.
    public var maxResponseBytes: Int
    /// When set, connect to exactly this IP address instead of resolving the URL's host again
    /// (the SSRF guard resolves and checks an address first, then pins it here).
    public var pinnedAddress: String?
    /// When set, the exchange fails with `.idleTimeout` once no byte has arrived for this long
    /// (whole seconds, rounded up): a held stream's guard against a dead connection.
    public var idleTimeout: Duration?

    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: HTTPHeaders = [:],
        body: Data? = nil,
        timeout: Duration = .seconds(60),
        connectTimeout: Duration = .seconds(10),
        maxResponseBytes: Int = 16 << 20,
        pinnedAddress: String? = nil,
        idleTimeout: Duration? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxResponseBytes = maxResponseBytes
        self.pinnedAddress = pinnedAddress
        self.idleTimeout = idleTimeout
    }
}

/// A complete HTTP response. Redirects are never followed: a 3xx is returned as it is.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
    /// "1.1" or "2".
    public var httpVersion: String

    public init(status: Int, headers: HTTPHeaders, body: Data, httpVersion: String = "1.1") {
        self.status = status
        self.headers = headers
        self.body = body
        self.httpVersion = httpVersion
    }
}
