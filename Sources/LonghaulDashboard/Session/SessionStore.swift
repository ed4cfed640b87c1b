import Foundation
import LonghaulCore
import Postgres

/// Dashboard sessions in PostgreSQL (`dashboard_sessions`, migration 0006).
///
/// The cookie holds a 256-bit random secret; the row holds its SHA-256, so a copy of the table
/// opens no session, and a forged cookie is as unlikely as a guessed token (no signing key to keep
/// or rotate). Each page reads the row and the token it was opened with in one indexed lookup
/// each: a revoked token ends every session it opened at the next request, sign-out deletes the
/// row, and a session ends 8 hours after sign-in whatever happens.
struct SessionStore: Sendable {
    let pool: PostgresPool
    let lookup: CallerLookup
    var lifetime: Duration = .seconds(8 * 3600)

    static let cookiePrefix = "lhs_"

    /// Opens a session for `token`, or nil when the token does not work. Returns the cookie value.
    func open(token: String) async throws -> (cookie: String, session: DashboardSession)? {
        let token = token.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, token.utf8.count <= 512, let caller = try await lookup.caller(secret: token) else { return nil }
        let secret = TokenSecret.generate(prefix: Self.cookiePrefix)
        let csrf = TokenSecret.generate(prefix: "")
        try await pool.query(
            """
            INSERT INTO dashboard_sessions (secret_sha256, token_sha256, csrf_token, expires_at)
            VALUES (\(CallerLookup.digest(secret)), \(CallerLookup.digest(token)), \(csrf),
                    now() + make_interval(secs => \(Double(lifetime.components.seconds))))
            """)
        // Expired rows go when someone signs in: sessions are few, so this stays cheap.
        try await pool.query("DELETE FROM dashboard_sessions WHERE expires_at < now()")
        return (secret, DashboardSession(caller: caller, csrfToken: csrf))
    }

    /// The session of a cookie, or nil when it is unknown, expired, signed out or its token revoked.
    func session(cookie: String) async throws -> DashboardSession? {
        guard cookie.hasPrefix(Self.cookiePrefix), cookie.utf8.count < 100 else { return nil }
        let rows = try await pool.query(
            """
            SELECT token_sha256, csrf_token FROM dashboard_sessions
            WHERE secret_sha256 = \(CallerLookup.digest(cookie)) AND expires_at > now()
            """)
        guard let row = rows.first else { return nil }
        guard let caller = try await lookup.caller(digest: try row.decode("token_sha256")) else { return nil }
        return DashboardSession(caller: caller, csrfToken: try row.decode("csrf_token"))
    }

    /// Ends the session of a cookie (signing out); unknown cookies are ignored.
    func close(cookie: String) async throws {
        try await pool.query("DELETE FROM dashboard_sessions WHERE secret_sha256 = \(CallerLookup.digest(cookie))")
    }
}
