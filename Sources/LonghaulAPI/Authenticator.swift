import Hashing
import Foundation
public import LonghaulCore

/// Turns an `Authorization` header into the principal a request acts for: the admin token from the
/// configuration (compared in constant time), or a stored token looked up by its SHA-256.
public struct Authenticator: Sendable {
    let tokens: TokenStore
    /// SHA-256 of `LONGHAUL_ADMIN_TOKEN`; the token itself is not kept.
    let adminTokenDigest: Data?

    public init(tokens: TokenStore, adminToken: String?) {
        self.tokens = tokens
        self.adminTokenDigest = adminToken.flatMap { $0.isEmpty ? nil : Data(SHA256.hash(data: Data($0.utf8))) }
    }

    /// The principal, or a 401 that says whether a token was missing or not accepted.
    func principal(authorization: String?) async throws -> Principal {
        guard let authorization, !authorization.isEmpty else {
            throw APIError.unauthorized("send 'Authorization: Bearer <token>'; create a token with 'longhaul tokens create'", tokenGiven: false)
        }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("the Authorization header must be 'Bearer <token>'", tokenGiven: true)
        }
        let secret = parts[1].trimmingCharacters(in: .whitespaces)
        if let adminTokenDigest, Self.constantTimeEqual(Data(SHA256.hash(data: Data(secret.utf8))), adminTokenDigest) {
            return .admin
        }
        guard let principal = try await tokens.authenticate(secret: secret) else {
            throw APIError.unauthorized("the token is not valid (unknown or revoked)", tokenGiven: true)
        }
        return principal
    }

    private static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}

/// The principal of the request being handled, set by `AuthenticationMiddleware`.
enum RequestPrincipal {
    @TaskLocal static var current: Principal?

    /// The principal; a bug (500) if the route was not authenticated.
    static func required() throws -> Principal {
        guard let current else { throw APIError.unauthorized("this route needs a token", tokenGiven: false) }
        return current
    }
}
