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
        let secret = Self.trimmingWhitespace(parts[1])
        let found = try await lookups.callers.value(for: CallerLookup.digest(secret)) { try await lookup.caller(secret: secret) }
        guard let caller = found else {
            throw APIError.unauthorized("the token is not valid (unknown or revoked)", tokenGiven: true)
        }
        return caller
    }

    /// `text` without leading and trailing `CharacterSet.whitespaces`, as
    /// `trimmingCharacters(in: .whitespaces)` answers; that call was 1.3 % of the server's CPU
    /// per `POST /v1/jobs` in `bench/api.sh`. The set is CoreFoundation's: tab, the space
    /// separators, and U+200B.
    static func trimmingWhitespace(_ text: Substring) -> String {
        func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x20, 0x09, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: true
            default: false
            }
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }), let last = scalars.lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        return String(scalars[first...last])
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
