import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where one webhook attempt goes: the URL as configured and the one address, checked against
/// the policy, that the request must connect to (`HTTPRequest.pinnedAddress`).
public struct WebhookDestination: Sendable, Equatable {
    public var url: String
    public var host: String
    public var port: Int
    public var address: IPAddress
}

/// Resolves a webhook URL and picks an address the policy admits; runs `getaddrinfo` on a
/// thread of its own, never on the cooperative pool.
public struct WebhookDestinationResolver: Sendable {
    public let policy: WebhookAddressPolicy

    public init(policy: WebhookAddressPolicy) {
        self.policy = policy
    }

    /// The destination for `url`, or a `WebhookDestinationError` saying why there is none.
    public func resolve(_ url: String) async throws(WebhookDestinationError) -> WebhookDestination {
        let (host, port) = try Self.hostAndPort(url)
        let candidates: [IPAddress]
        if let literal = IPAddress(host) {
            candidates = [literal]
        } else {
            do {
                candidates = try await runBlocking { try Self.lookUp(host) }
            } catch let error as WebhookDestinationError {
                throw error
            } catch {
                throw WebhookDestinationError(kind: .resolutionFailed, message: "cannot resolve \(host): \(error)")
            }
        }
        var refusals: [String] = []
        for address in candidates {
            if let reason = policy.refusal(for: address) {
                refusals.append("\(address) is \(reason)")
            } else {
                return WebhookDestination(url: url, host: host, port: port, address: address)
            }
        }
        let named = IPAddress(host) == nil ? "\(host) resolves only to addresses webhooks may not reach: " : ""
        throw WebhookDestinationError(
            kind: .refusedAddress,
            message: "refused to send to \(redacted(url)): \(named)\(refusals.joined(separator: "; ")). "
                + "To deliver inside your network, list the range in \(WebhookAddressPolicy.allowlistVariable) (e.g. 10.0.0.0/8)")
    }

    /// The host (without brackets) and port of an http(s) URL.
    static func hostAndPort(_ url: String) throws(WebhookDestinationError) -> (String, Int) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            let rawHost = components.host, !rawHost.isEmpty
        else {
            throw WebhookDestinationError(kind: .invalidURL, message: "'\(redacted(url))' is not an absolute http or https URL")
        }
        guard scheme == "http" || scheme == "https" else {
            throw WebhookDestinationError(kind: .invalidURL, message: "'\(redacted(url))' uses \(scheme); webhooks go over http or https only")
        }
        var host = rawHost
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, components.port ?? (scheme == "https" ? 443 : 80))
    }

    /// Every address `host` resolves to, in the resolver's order of preference. Blocking.
    private static func lookUp(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &result)
        guard status == 0, let first = result else {
            let reason = String(cString: gai_strerror(status))
            throw WebhookDestinationError(kind: .resolutionFailed, message: "cannot resolve \(host): \(reason)")
        }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let socketAddress = entry.pointee.ai_addr {
                switch Int32(entry.pointee.ai_family) {
                case AF_INET:
                    let value = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
                    addresses.append(.v4(UInt32(bigEndian: value)))
                case AF_INET6:
                    var raw = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    addresses.append(IPAddress(bytes16: withUnsafeBytes(of: &raw) { Array($0) }))
                default:
                    break
                }
            }
            cursor = entry.pointee.ai_next
        }
        var seen = Set<IPAddress>()
        return addresses.filter { seen.insert($0).inserted }
    }
}

/// Why a webhook cannot be sent to its URL; the message names the URL (without query or
/// credentials), the addresses and the fix.
public struct WebhookDestinationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case invalidURL = "invalid_url"
        case resolutionFailed = "dns_failure"
        case refusedAddress = "refused_address"
    }

    public var kind: Kind
    public var message: String

    public var description: String { message }
}

extension WebhookDestinationResolver {
    /// Scheme, host, port and path of `url`, for logs and the attempt log: never its user info
    /// or query, which may hold a secret.
    public static func redactedURL(_ url: String) -> String {
        redacted(url)
    }
}

/// Scheme, host, port and path of a URL: never its user info or query, which may hold a secret.
func redacted(_ url: String) -> String {
    guard var components = URLComponents(string: url) else { return "(an unparsable URL)" }
    components.user = nil
    components.password = nil
    components.query = nil
    components.fragment = nil
    return components.string ?? "(an unparsable URL)"
}
