import Foundation
public import LonghaulCore

/// Turns an `Authorization` header into the caller a request acts for (``CallerLookup``: the admin
/// token from the configuration, or a stored token looked up by its SHA-256), kept for a second
/// in `lookups` (see ``RequestLookups`` for what that bounds).
public struct Authenticator: Sendable {
    let lookup: CallerLookup
    let lookups: RequestLookups

    public init(lookup: CallerLookup, lookups: RequestLookups = RequestLookups()) {
        self.lookup = lookup
        self.lookups = lookups
    }

    /// The caller, or a 401 that says whether a token was missing or not accepted.
    func caller(authorization: String?) async throws -> Caller {
        guard let authorization, !authorization.isEmpty else {
            throw APIError.unauthorized(
                "send 'Authorization: Bearer <token>'; create a token with 'longhaul tokens create'", tokenGiven: false)
        }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("the Authorization header must be 'Bearer <token>'", tokenGiven: true)
        }
        let secret = parts[1].trimmingCharacters(in: .whitespaces)
        let found = try await lookups.callers.value(for: CallerLookup.digest(secret)) { try await lookup.caller(secret: secret) }
        guard let caller = found else {
            throw APIError.unauthorized("the token is not valid (unknown or revoked)", tokenGiven: true)
        }
        return caller
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
