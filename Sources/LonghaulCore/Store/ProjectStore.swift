import Foundation
public import Postgres

/// Projects in the database.
public struct ProjectStore: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    static let columns = """
        id, slug, region, runtime_region, base_url, mantle_project_id, credential_ref, default_model, max_in_flight,
        tokens_per_minute, max_attempts, tags, archived_at, created_at, retry_window_seconds,
        paused_at, pause_kind, pause_code, pause_reason, next_probe_at,
        (SELECT b.opened_at FROM endpoint_breakers b WHERE b.project_id = projects.id AND b.opened_at IS NOT NULL
         ORDER BY b.opened_at LIMIT 1) AS unavailable_since,
        (SELECT b.last_error FROM endpoint_breakers b WHERE b.project_id = projects.id AND b.opened_at IS NOT NULL
         ORDER BY b.opened_at LIMIT 1) AS unavailable_error,
        (SELECT b.next_probe_at FROM endpoint_breakers b WHERE b.project_id = projects.id AND b.opened_at IS NOT NULL
         ORDER BY b.opened_at LIMIT 1) AS unavailable_probe_at
        """

    /// Creates a project with a fresh webhook signing secret. A taken slug is a `StoreError.conflict`.
    public func create(_ new: NewProject) async throws -> Project {
        try Self.validate(slug: new.slug)
        try ProjectSettingsValidation.checkEndpoint(region: new.region, baseURL: new.baseURL)
        try ProjectSettingsValidation.check(runtimeRegion: new.runtimeRegion)
        try ProjectSettingsValidation.check(
            defaultModel: new.defaultModel, maxInFlight: new.maxInFlight, tokensPerMinute: new.tokensPerMinute,
            maxAttempts: new.maxAttempts, credentialReference: new.credentialReference, mantleProjectID: new.mantleProjectID,
            tags: new.tags)
        try ProjectSettingsValidation.check(retryWindowSeconds: new.retryWindowSeconds)
        do {
            let rows = try await pool.query("""
                INSERT INTO projects (slug, region, base_url, mantle_project_id, credential_ref, default_model,
                                      max_in_flight, tokens_per_minute, max_attempts, tags, webhook_secret, retry_window_seconds,
                                      runtime_region)
                VALUES (\(new.slug), \(new.region), \(new.baseURL), \(new.mantleProjectID), \(new.credentialReference),
                        \(new.defaultModel), \(new.maxInFlight), \(new.tokensPerMinute), \(new.maxAttempts),
                        \(PostgresJSON(new.tags)), \(WebhookSecret.generate()), \(new.retryWindowSeconds), \(new.runtimeRegion))
                RETURNING \(unescaped: Self.columns)
                """)
            return try Self.decode(rows.first.orThrow("project insert returned no row"))
        } catch let error as PostgresError where error.code == .uniqueViolation {
            throw StoreError.conflict("a project named '\(new.slug)' already exists")
        }
    }

    /// The project with this slug, or `StoreError.notFound`.
    public func get(slug: String) async throws -> Project {
        let rows = try await pool.query("SELECT \(unescaped: Self.columns) FROM projects WHERE slug = \(slug)")
        guard let row = rows.first else { throw StoreError.notFound("project '\(slug)'") }
        return try Self.decode(row)
    }

    /// The project with this id, or `StoreError.notFound`.
    public func get(id: Int64) async throws -> Project {
        let rows = try await pool.query("SELECT \(unescaped: Self.columns) FROM projects WHERE id = \(id)")
        guard let row = rows.first else { throw StoreError.notFound("project \(id)") }
        return try Self.decode(row)
    }

    /// Projects by slug; archived ones only when asked.
    public func list(includeArchived: Bool = false) async throws -> [Project] {
        let rows = try await pool.query("""
            SELECT \(unescaped: Self.columns) FROM projects WHERE \(includeArchived) OR archived_at IS NULL ORDER BY slug
            """)
        return try rows.map(Self.decode)
    }

    /// The `default` project used when nothing else is configured; created on first use.
    public func ensureDefault(defaultModel: String = "openai.gpt-oss-120b") async throws -> Project {
        if let existing = try? await get(slug: "default") { return existing }
        do {
            return try await create(NewProject(slug: "default", defaultModel: defaultModel, maxInFlight: 500))
        } catch StoreError.conflict {
            return try await get(slug: "default")
        }
    }

    /// Archives a project (it accepts no new jobs; what it has keeps running); idempotent.
    public func archive(slug: String) async throws -> Project {
        let rows = try await pool.query("""
            UPDATE projects SET archived_at = coalesce(archived_at, now()), updated_at = now()
            WHERE slug = \(slug) RETURNING \(unescaped: Self.columns)
            """)
        guard let row = rows.first else { throw StoreError.notFound("project '\(slug)'") }
        return try Self.decode(row)
    }

    /// The signing secrets of a project: the current one, and the previous one while it still signs.
    public func webhookSecrets(projectID: Int64) async throws -> [String] {
        let rows = try await pool.query("""
            SELECT webhook_secret, CASE WHEN previous_secret_expires_at > now() THEN previous_webhook_secret END AS previous
            FROM projects WHERE id = \(projectID)
            """)
        guard let row = rows.first else { throw StoreError.notFound("project \(projectID)") }
        return [try row.decode("webhook_secret", as: String.self)] + [try row.decode("previous", as: String?.self)].compactMap { $0 }
    }

    static func validate(slug: String) throws {
        let allowed = slug.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 95 }
        guard !slug.isEmpty, slug.utf8.count <= 63, allowed, slug.first != "-", slug.first != "_" else {
            throw StoreError.invalid(
                field: "slug", message: "'\(slug.prefix(80))' is not a valid project name: use 1–63 lowercase letters, digits, '-' or '_'")
        }
    }

    static func decode(_ row: PostgresRow) throws -> Project {
        Project(
            id: try row.decode("id"), slug: try row.decode("slug"), region: try row.decode("region"),
            baseURL: try row.decode("base_url"), mantleProjectID: try row.decode("mantle_project_id"),
            credentialReference: try row.decode("credential_ref"), defaultModel: try row.decode("default_model"),
            maxInFlight: try row.decode("max_in_flight"), tokensPerMinute: try row.decode("tokens_per_minute"),
            maxAttempts: try row.decode("max_attempts"),
            tags: try row.decode("tags", as: JSONStringObject.self).value,
            archivedAt: try row.decode("archived_at"), createdAt: try row.decode("created_at"),
            retryWindowSeconds: try row.decode("retry_window_seconds"), hold: try holdDecoded(row),
            runtimeRegion: try row.decode("runtime_region"))
    }

    /// The hold of a project row: a pause first (it needs a person or an operator), else an open breaker.
    static func holdDecoded(_ row: PostgresRow) throws -> ProjectHold? {
        if let since: Date = try row.decode("paused_at") {
            let kind: String? = try row.decode("pause_kind")
            return ProjectHold(
                kind: kind == "operator" ? .pausedByOperator : .refused, code: try row.decode("pause_code") ?? "",
                reason: try row.decode("pause_reason") ?? "", since: since,
                nextProbeAt: kind == "operator" ? nil : try row.decode("next_probe_at"))
        }
        if let since: Date = try row.decode("unavailable_since") {
            return ProjectHold(
                kind: .endpointUnavailable, code: "endpoint_unavailable", reason: try row.decode("unavailable_error") ?? "",
                since: since, nextProbeAt: try row.decode("unavailable_probe_at"))
        }
        return nil
    }
}
