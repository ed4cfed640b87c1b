import CCurl
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An `HTTPRequest` checked and turned into what libcurl needs, built on the caller's thread so
/// the owner thread only sets options.
///
/// Everything that could make libcurl do something other than what was asked is rejected here,
/// as `.invalidRequest`: other schemes, malformed URLs, CR/LF in header fields (header
/// injection), a pinned address that is not an IP literal.
struct PreparedRequest {
    let method: HTTPMethod
    let url: String
    /// Scheme, host, port and path only: what errors and logs may show. Worked out when an error
    /// needs it: for every request it was 2 % of a worker's CPU.
    var redactedURL: String { HTTPClientError.redacted(url: url) }
    /// The URL's host and port, named in error messages.
    let hostAndPort: String
    let isHTTPS: Bool
    /// Header lines for `CURLOPT_HTTPHEADER`; alive as long as the transfer.
    let headerLines: CurlStringList
    /// The body to send (copied by libcurl with `CURLOPT_COPYPOSTFIELDS`), or nil for none.
    let body: Data?
    let timeoutMilliseconds: Int
    let connectTimeoutMilliseconds: Int
    let maxResponseBytes: Int
    /// `HTTPRequest.idleTimeout` in whole seconds (libcurl's low-speed time), if set.
    let idleTimeoutSeconds: Int?
    /// A `CURLOPT_CONNECT_TO` entry that sends the connection to the pinned address, if any.
    let pinnedConnectTo: CurlStringList?

    init(_ request: HTTPRequest) throws(HTTPClientError) {
        func invalid(_ message: String) -> HTTPClientError { .invalidRequest(message, url: request.url) }

        let parsed = try ParsedURL(request.url)
        guard request.method.rawValue.utf8.allSatisfy(\.isTokenCharacter), !request.method.rawValue.isEmpty else {
            throw invalid("method \"\(request.method.rawValue)\" is not an HTTP token")
        }
        guard request.timeout > .zero, request.connectTimeout > .zero else {
            throw invalid("timeout and connectTimeout must be positive (got \(request.timeout), \(request.connectTimeout))")
        }
        if let idle = request.idleTimeout, idle <= .zero {
            throw invalid("idleTimeout must be positive (got \(idle))")
        }
        guard request.maxResponseBytes >= 0 else {
            throw invalid("maxResponseBytes must not be negative (got \(request.maxResponseBytes))")
        }

        var body = request.body
        if request.method == .head, body != nil {
            throw invalid("a HEAD request cannot carry a body")
        }
        if body == nil, [.post, .put, .patch].contains(request.method) {
            body = Data()  // sends Content-Length: 0, which servers expect for these methods
        }

        let lines = CurlStringList()
        for field in request.headers {
            guard !field.name.isEmpty, field.name.utf8.allSatisfy(\.isTokenCharacter) else {
                throw invalid("header name \"\(field.name)\" is not an HTTP token")
            }
            guard !field.value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                throw invalid("the value of header \(field.name) contains CR, LF or NUL")
            }
            // "Name;" is libcurl's spelling of a header with an empty value ("Name:" would remove it).
            let line = field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)"
            guard lines.append(line) else { throw invalid("out of memory building the header list") }
        }
        // libcurl adds `Expect: 100-continue` to large bodies (a round trip of waiting) and labels
        // every body as a form; "Name:" suppresses a header libcurl would add on its own.
        if request.headers["Expect"] == nil { _ = lines.append("Expect:") }
        if body != nil, request.headers["Content-Type"] == nil { _ = lines.append("Content-Type:") }

        var connectTo: CurlStringList?
        if let address = request.pinnedAddress {
            guard let literal = IPAddressLiteral(address) else {
                throw invalid("pinnedAddress \"\(address)\" is not an IPv4 or IPv6 address")
            }
            // Empty HOST and PORT match every request of this transfer, and an empty
            // CONNECT-TO-PORT keeps the URL's port: only the address changes, with no lookup.
            let list = CurlStringList()
            guard list.append("::\(literal.connectToHost):") else { throw invalid("out of memory building the connect-to list") }
            connectTo = list
        }

        self.method = request.method
        self.url = request.url
        self.hostAndPort = parsed.hostAndPort
        self.isHTTPS = parsed.isHTTPS
        self.headerLines = lines
        self.body = body
        self.timeoutMilliseconds = request.timeout.curlMilliseconds
        self.connectTimeoutMilliseconds = request.connectTimeout.curlMilliseconds
        self.maxResponseBytes = request.maxResponseBytes
        self.idleTimeoutSeconds = request.idleTimeout.map { max(1, ($0.curlMilliseconds + 999) / 1000) }
        self.pinnedConnectTo = connectTo
    }
}

/// The parts of a URL as libcurl's own parser reads them, so the checks here agree with what
/// libcurl will connect to.
private struct ParsedURL {
    let isHTTPS: Bool
    let hostAndPort: String

    init(_ url: String) throws(HTTPClientError) {
        func invalid(_ message: String) -> HTTPClientError { .invalidRequest(message, url: url) }
        guard let handle = curl_url() else { throw invalid("out of memory parsing the URL") }
        defer { curl_url_cleanup(handle) }
        let setCode = url.withCString { curl_url_set(handle, CURLUPART_URL, $0, 0) }
        guard setCode == CURLUE_OK else {
            throw invalid("the URL is malformed (\(String(cString: curl_url_strerror(setCode))))")
        }
        func part(_ what: CURLUPart, flags: UInt32 = 0) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, what, &value, flags) == CURLUE_OK, let value else { return nil }
            defer { curl_free(value) }
            return String(cString: value)
        }
        let scheme = part(CURLUPART_SCHEME)?.lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw invalid("only http and https URLs are allowed (got scheme \(scheme ?? "none"))")
        }
        guard let host = part(CURLUPART_HOST), !host.isEmpty else { throw invalid("the URL has no host") }
        let port = part(CURLUPART_PORT, flags: UInt32(CURLU_DEFAULT_PORT)) ?? "?"
        self.isHTTPS = scheme == "https"
        self.hostAndPort = "\(host):\(port)"
    }
}

/// An IPv4 or IPv6 address literal, checked with `inet_pton` (so no host name slips through).
private struct IPAddressLiteral {
    /// The form `CURLOPT_CONNECT_TO` wants: IPv6 in brackets.
    let connectToHost: String

    init?(_ text: String) {
        var ipv4 = in_addr()
        var ipv6 = in6_addr()
        if inet_pton(AF_INET, text, &ipv4) == 1 {
            connectToHost = text
        } else if inet_pton(AF_INET6, text, &ipv6) == 1 {
            connectToHost = "[\(text)]"
        } else {
            return nil
        }
    }
}

extension UInt8 {
    /// A `tchar` of RFC 9110: the characters allowed in methods and header names.
    fileprivate var isTokenCharacter: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(self)
        }
    }
}
