public import Foundation
import Hashing

/// Finds who a token secret speaks for: `LONGHAUL_ADMIN_TOKEN` (compared in constant time, never
/// stored) or a stored token looked up by its SHA-256. The REST API asks it on every request and
/// the dashboard on every page (a session keeps only the digest, so a revoked token ends it).
public struct CallerLookup: Sendable {
    let tokens: TokenStore
    /// SHA-256 of `LONGHAUL_ADMIN_TOKEN`; the token itself is not kept.
    let adminTokenDigest: Data?

    public init(tokens: TokenStore, adminToken: String?) {
        self.tokens = tokens
        self.adminTokenDigest = adminToken.flatMap { $0.isEmpty ? nil : Self.digest($0) }
    }

    /// The SHA-256 of a secret, as `api_tokens.token_sha256` and sessions store it.
    public static func digest(_ secret: String) -> Data {
        Data(SHA256.hash(data: Data(secret.utf8)))
    }

    /// The caller `secret` speaks for, or nil when it is the admin token of no configuration and no working stored token.
    public func caller(secret: String) async throws -> Caller? {
        let digest = Self.digest(secret)
        if let adminTokenDigest, Self.constantTimeEqual(digest, adminTokenDigest) {
            return Caller(principal: .admin, readOnly: false)
        }
        return try await tokens.caller(secret: secret)
    }

    /// The caller of the token whose SHA-256 is `digest`, or nil when it no longer works.
    public func caller(digest: Data) async throws -> Caller? {
        if let adminTokenDigest, Self.constantTimeEqual(digest, adminTokenDigest) {
            return Caller(principal: .admin, readOnly: false)
        }
        return try await tokens.caller(digest: digest)
    }

    /// Equal bytes, in a time that does not depend on where they differ.
    public static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
