/// Which addresses webhooks may be sent to: public ones only, unless an operator's allowlist
/// admits a blocked range (tests on loopback, self-hosters delivering inside their network).
///
/// Every address a host resolves to is checked here right before connecting, and the request is
/// then pinned to that address, so a DNS answer that changes between check and connect (DNS
/// rebinding) cannot reach an internal service.
public struct WebhookAddressPolicy: Sendable, Equatable {
    /// Blocks admitted even though they fall in a blocked range.
    public var allowed: [IPNetwork]

    /// The environment variable holding the allowlist: CIDR blocks separated by commas or spaces.
    public static let allowlistVariable = "LONGHAUL_WEBHOOK_ALLOW_CIDRS"

    /// A policy admitting `allowed` on top of public addresses.
    public init(allowed: [IPNetwork] = []) {
        self.allowed = allowed
    }

    /// The policy `LONGHAUL_WEBHOOK_ALLOW_CIDRS` describes; throws naming the entry that is not a CIDR block.
    public static func fromEnvironment(_ environment: [String: String]) throws -> WebhookAddressPolicy {
        guard let raw = environment[allowlistVariable] else { return WebhookAddressPolicy() }
        return try WebhookAddressPolicy(allowlist: raw)
    }

    /// Parses an allowlist such as `127.0.0.0/8, ::1/128`.
    public init(allowlist raw: String) throws {
        let entries = raw.split { $0 == "," || $0 == " " || $0 == "\n" }.map(String.init)
        allowed = try entries.map { entry in
            guard let network = IPNetwork(entry) else {
                throw WebhookPolicyError(
                    description: "\(Self.allowlistVariable): '\(entry)' is not a CIDR block; write e.g. 127.0.0.0/8 or fd00::/8")
            }
            return network
        }
    }

    /// Why `address` may not be reached, or nil when it may.
    public func refusal(for address: IPAddress) -> String? {
        if isAdmitted(address) { return nil }
        if let reason = Self.blockedReason(address) { return reason }
        if let inner = address.embeddedIPv4, let reason = Self.blockedReason(inner), !isAdmitted(inner) {
            return "embeds \(inner), \(reason)"
        }
        return nil
    }

    private func isAdmitted(_ address: IPAddress) -> Bool {
        allowed.contains { $0.contains(address) }
    }

    private static func blockedReason(_ address: IPAddress) -> String? {
        blocked.first { $0.network.contains(address) }?.reason
    }

    /// Ranges that are not the public internet: loopback, private, link-local (cloud metadata),
    /// shared, reserved, documentation and multicast blocks of both families.
    static let blocked: [(network: IPNetwork, reason: String)] = [
        ("0.0.0.0/8", "a 'this network' address"),
        ("10.0.0.0/8", "a private address"),
        ("100.64.0.0/10", "a carrier-grade NAT address"),
        ("127.0.0.0/8", "a loopback address"),
        ("169.254.0.0/16", "a link-local address (cloud metadata lives here)"),
        ("172.16.0.0/12", "a private address"),
        ("192.0.0.0/24", "an IETF protocol address"),
        ("192.0.2.0/24", "a documentation address"),
        ("192.88.99.0/24", "a 6to4 relay address"),
        ("192.168.0.0/16", "a private address"),
        ("198.18.0.0/15", "a benchmarking address"),
        ("198.51.100.0/24", "a documentation address"),
        ("203.0.113.0/24", "a documentation address"),
        ("224.0.0.0/4", "a multicast address"),
        ("240.0.0.0/4", "a reserved or broadcast address"),
        ("::/128", "the unspecified address"),
        ("::1/128", "a loopback address"),
        ("64:ff9b:1::/48", "a local-use NAT64 address"),
        ("100::/64", "a discard address"),
        ("2001:db8::/32", "a documentation address"),
        ("fc00::/7", "a unique local (private) address"),
        ("fe80::/10", "a link-local address"),
        ("fec0::/10", "a site-local address"),
        ("ff00::/8", "a multicast address"),
    ].map { (network: IPNetwork($0.0)!, reason: $0.1) }  // literals above: a typo fails every test at once
}

/// An allowlist entry that is not a CIDR block.
public struct WebhookPolicyError: Error, CustomStringConvertible {
    public let description: String
}
