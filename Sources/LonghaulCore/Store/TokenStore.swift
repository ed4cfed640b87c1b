public import Foundation
public import Postgres

/// API tokens in the database: created with a random secret shown once, stored as its SHA-256,
/// listed and revoked by public id, and checked on every API request.
public struct TokenStore: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    static let columns = """
        t.public_id, t.name, p.slug AS project, t.created_at, t.last_used_at, t.revoked_at, t.read_only
        """

    /// Creates a token for `projectID` (nil: an admin token) and returns it with its secret,
    /// which is not stored and cannot be shown again. An unknown project is `StoreError.notFound`.
    /// A `readOnly` token reads what its scope allows and changes nothing.
    public func create(name: String, projectID: Int64?, readOnly: Bool = false) async throws -> IssuedToken {
        guard name.count <= 200, !name.contains(where: \.isNewline) else {
            throw StoreError.invalid(field: "name", message: "a token name is one line of at most 200 characters")
        }
        let secret = TokenSecret.generate()
        let publicID = PublicID.make("tok")
        do {
            let rows = try await pool.query("""
                WITH t AS (
                    INSERT INTO api_tokens (public_id, token_sha256, project_id, name, read_only)
                    VALUES (\(publicID), \(TokenSecret.digest(secret)), \(projectID), \(name), \(readOnly))
                    RETURNING *
                )
                SELECT \(unescaped: Self.columns) FROM t LEFT JOIN projects p ON p.id = t.project_id
                """)
            return IssuedToken(token: try Self.decode(rows.first.orThrow("token insert returned no row")), secret: secret)
        } catch let error as PostgresError where error.code == .foreignKeyViolation {
            throw StoreError.notFound("project \(projectID.map(String.init) ?? "")")
        }
    }

    /// The tokens of `projectID`, or every token (admin ones too) for nil; newest first.
    public func list(projectID: Int64?) async throws -> [APIToken] {
        let rows: PostgresRows
        if let projectID {
            rows = try await pool.query("""
                SELECT \(unescaped: Self.columns) FROM api_tokens t LEFT JOIN projects p ON p.id = t.project_id
                WHERE t.project_id = \(projectID) ORDER BY t.id DESC
                """)
        } else {
            rows = try await pool.query("""
                SELECT \(unescaped: Self.columns) FROM api_tokens t LEFT JOIN projects p ON p.id = t.project_id ORDER BY t.id DESC
                """)
        }
        return try rows.map(Self.decode)
    }

    /// Revokes a token visible to `projectID` (nil: any token); revoking twice keeps the first
    /// revocation time. `StoreError.notFound` when there is no such token for this caller.
    public func revoke(publicID: String, projectID: Int64?) async throws -> APIToken {
        let rows = try await pool.query("""
            WITH t AS (
                UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now())
                WHERE public_id = \(publicID) AND (\(projectID)::bigint IS NULL OR project_id = \(projectID))
                RETURNING *
            )
            SELECT \(unescaped: Self.columns) FROM t LEFT JOIN projects p ON p.id = t.project_id
            """)
        guard let row = rows.first else { throw StoreError.notFound("token \(publicID)") }
        return try Self.decode(row)
    }

    /// Who `secret` speaks for, or nil when it is malformed, unknown or revoked.
    ///
    /// One indexed read per call; `last_used_at` is written only when it is a minute old or
    /// more, so a busy client costs one write a minute, not one per request.
    public func authenticate(secret: String) async throws -> Principal? {
        try await caller(secret: secret)?.principal
    }

    /// Who `secret` speaks for and whether it may act, or nil when it is malformed, unknown or revoked.
    public func caller(secret: String) async throws -> Caller? {
        guard TokenSecret.isWellFormed(secret) else { return nil }
        return try await caller(digest: TokenSecret.digest(secret))
    }

    /// The caller of the token whose SHA-256 is `digest` (a dashboard session keeps only that),
    /// or nil when no such token works.
    public func caller(digest: Data) async throws -> Caller? {
        let rows = try await pool.query("""
            SELECT t.id AS token_id, t.project_id AS token_project_id, t.read_only,
                   (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute') AS stale, p.*
            FROM api_tokens t
            LEFT JOIN LATERAL (SELECT \(unescaped: ProjectStore.columns) FROM projects WHERE projects.id = t.project_id) p ON true
            WHERE t.token_sha256 = \(digest) AND t.revoked_at IS NULL
            """)
        guard let row = rows.first else { return nil }
        if try row.decode("stale", as: Bool.self) {
            let id: Int64 = try row.decode("token_id")
            try await pool.query("""
                UPDATE api_tokens SET last_used_at = now()
                WHERE id = \(id) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
                """)
        }
        let readOnly: Bool = try row.decode("read_only")
        guard try row.decode("token_project_id", as: Int64?.self) != nil else { return Caller(principal: .admin, readOnly: readOnly) }
        return Caller(principal: .project(try ProjectStore.decode(row)), readOnly: readOnly)
    }

    static func decode(_ row: PostgresRow) throws -> APIToken {
        APIToken(
            publicID: try row.decode("public_id"), name: try row.decode("name"), project: try row.decode("project"),
            createdAt: try row.decode("created_at"), lastUsedAt: try row.decode("last_used_at"), revokedAt: try row.decode("revoked_at"),
            readOnly: try row.decode("read_only"))
    }
}
