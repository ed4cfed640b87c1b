import Foundation
import Postgres

extension ProjectStore {
    /// Pauses the project named `slug` for an operator: its queued jobs stay queued, in place,
    /// until `resume`; running Responses are still followed to their end. Announces
    /// `project.paused` unless it was paused already. Returns the project as stored.
    public func pause(slug: String, reason: String?, publicBaseURL: String = WebhookOutbox.defaultPublicBaseURL) async throws -> Project {
        try await changePause(slug: slug, publicBaseURL: publicBaseURL) { connection in
            try await connection.query("""
                UPDATE projects
                SET paused_at = now(), pause_kind = 'operator', pause_code = 'operator', pause_reason = \(reason ?? ""),
                    next_probe_at = NULL, updated_at = now()
                WHERE slug = \(slug) AND (pause_kind IS DISTINCT FROM 'operator')
                RETURNING id
                """)
        }
    }

    /// Lifts any pause of the project named `slug` and closes its endpoint's breaker, so its jobs
    /// are claimed at once (if Mantle still refuses it, the first create pauses it again).
    /// Announces `project.resumed` when it was paused. Returns the project as stored.
    public func resume(slug: String, publicBaseURL: String = WebhookOutbox.defaultPublicBaseURL) async throws -> Project {
        try await changePause(slug: slug, publicBaseURL: publicBaseURL) { connection in
            try await connection.query("""
                DELETE FROM endpoint_breakers WHERE project_id = (SELECT id FROM projects WHERE slug = \(slug))
                """)
            return try await connection.query("""
                UPDATE projects
                SET paused_at = NULL, pause_kind = NULL, pause_code = NULL, pause_reason = NULL, next_probe_at = NULL, updated_at = now()
                WHERE slug = \(slug) AND paused_at IS NOT NULL
                RETURNING id
                """)
        }
    }

    /// Runs `change` (which returns the ids of projects it changed) and announces each change,
    /// in one transaction; then returns the project.
    private func changePause(
        slug: String, publicBaseURL: String, _ change: @Sendable (PostgresConnection) async throws -> PostgresRows
    ) async throws -> Project {
        try await pool.transaction { connection in
            let changed = try await change(connection).map { try $0.decode("id", as: Int64.self) }
            if !changed.isEmpty {
                let outbox = WebhookOutbox(publicBaseURL: publicBaseURL, notifications: NotifyLimiter())
                try await outbox.writeProjectEvents(projectIDs: changed, on: connection)
            }
        }
        return try await get(slug: slug)
    }
}
