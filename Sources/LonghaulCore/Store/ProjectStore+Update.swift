import Foundation
import Postgres

extension ProjectStore {
    /// Applies `changes` to the project named `slug` and returns it as stored. The rules are those
    /// of `create` (`StoreError.invalid`); an unknown slug is `StoreError.notFound`.
    public func update(slug: String, _ changes: ProjectUpdate) async throws -> Project {
        if changes.clearTokensPerMinute && changes.tokensPerMinute != nil {
            throw StoreError.invalid(field: "tokens_per_minute", message: "give a new tokens-per-minute budget or clear it, not both")
        }
        try ProjectSettingsValidation.check(
            defaultModel: changes.defaultModel, maxInFlight: changes.maxInFlight, tokensPerMinute: changes.tokensPerMinute,
            maxAttempts: changes.maxAttempts, credentialReference: changes.credentialReference,
            mantleProjectID: changes.mantleProjectID, tags: changes.tags)
        try ProjectSettingsValidation.check(retryWindowSeconds: changes.retryWindowSeconds)
        try ProjectSettingsValidation.check(runtimeRegion: changes.runtimeRegion)
        // A new credential or Mantle project may be the fix a paused project waits for: try it at once.
        let mayFixRefusal = changes.credentialReference != nil || changes.mantleProjectID != nil
        let rows = try await pool.query("""
            UPDATE projects SET
                default_model = coalesce(\(changes.defaultModel), default_model),
                max_in_flight = coalesce(\(changes.maxInFlight)::integer, max_in_flight),
                tokens_per_minute = CASE WHEN \(changes.clearTokensPerMinute) THEN NULL
                                         ELSE coalesce(\(changes.tokensPerMinute)::integer, tokens_per_minute) END,
                max_attempts = coalesce(\(changes.maxAttempts)::smallint, max_attempts),
                credential_ref = CASE WHEN \(changes.credentialReference)::text IS NULL THEN credential_ref
                                      ELSE nullif(\(changes.credentialReference)::text, '') END,
                mantle_project_id = CASE WHEN \(changes.mantleProjectID)::text IS NULL THEN mantle_project_id
                                         ELSE nullif(\(changes.mantleProjectID)::text, '') END,
                tags = coalesce(\(changes.tags.map(PostgresJSON.init))::jsonb, tags),
                retry_window_seconds = coalesce(\(changes.retryWindowSeconds)::integer, retry_window_seconds),
                runtime_region = CASE WHEN \(changes.runtimeRegion)::text IS NULL THEN runtime_region
                                      ELSE nullif(\(changes.runtimeRegion)::text, '') END,
                next_probe_at = CASE WHEN \(mayFixRefusal) AND pause_kind = 'needs_attention' THEN now() ELSE next_probe_at END,
                updated_at = now()
            WHERE slug = \(slug)
            RETURNING \(unescaped: Self.columns)
            """)
        guard let row = rows.first else { throw StoreError.notFound("project '\(slug)'") }
        return try Self.decode(row)
    }
}
