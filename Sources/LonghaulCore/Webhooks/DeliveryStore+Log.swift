public import Foundation
import Postgres

extension DeliveryStore {
    static let recordColumns = """
        d.public_id, p.slug AS project, e.public_id AS endpoint, j.public_id AS job, b.public_id AS batch, d.url,
        d.event_type, d.state::text AS state, d.attempt, CASE WHEN d.state = 'pending' THEN d.next_attempt_at END AS next_attempt_at,
        d.last_status, d.last_error, d.created_at, d.finished_at
        """

    static let recordJoins = """
        FROM deliveries d JOIN projects p ON p.id = d.project_id
        LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id
        LEFT JOIN jobs j ON j.id = d.job_id LEFT JOIN batches b ON b.id = d.batch_id
        """

    /// The newest deliveries first, filtered by project, state and job; at most `limit`.
    public func list(projectID: Int64?, state: DeliveryState? = nil, jobPublicID: String? = nil, limit: Int = 50) async throws -> [DeliveryRecord] {
        let rows = try await pool.query("""
            SELECT \(unescaped: Self.recordColumns) \(unescaped: Self.recordJoins)
            WHERE (\(projectID)::bigint IS NULL OR d.project_id = \(projectID))
              AND (\(state?.rawValue)::text IS NULL OR d.state = \(state?.rawValue)::delivery_state)
              AND (\(jobPublicID)::text IS NULL OR d.job_id = (SELECT job_id FROM job_keys WHERE public_id = \(jobPublicID)))
            ORDER BY d.id DESC LIMIT \(max(1, min(limit, 10_000)))
            """)
        return try rows.map(Self.decodeRecord)
    }

    /// One delivery with its body and attempts, visible to `projectID` (nil: any project).
    public func detail(publicID: String, projectID: Int64?) async throws -> DeliveryDetail {
        let rows = try await pool.query("""
            SELECT \(unescaped: Self.recordColumns), d.id, d.body \(unescaped: Self.recordJoins)
            WHERE d.public_id = \(publicID) AND (\(projectID)::bigint IS NULL OR d.project_id = \(projectID))
            """)
        guard let row = rows.first else { throw StoreError.notFound("delivery \(publicID)") }
        let id: Int64 = try row.decode("id")
        let attempts = try await pool.query("""
            SELECT attempt, started_at, duration_ms, http_status, response_body, error, address
            FROM delivery_attempts WHERE delivery_id = \(id) ORDER BY attempt, id
            """)
        return DeliveryDetail(
            delivery: try Self.decodeRecord(row), body: try row.decode("body"),
            attempts: try attempts.map { attempt in
                DeliveryAttemptRecord(
                    attempt: try attempt.decode("attempt"), startedAt: try attempt.decode("started_at"),
                    durationMilliseconds: try attempt.decode("duration_ms"), httpStatus: try attempt.decode("http_status"),
                    responseBody: try attempt.decode("response_body"), error: try attempt.decode("error"),
                    address: try attempt.decode("address"))
            })
    }

    /// Sends a delivery again now, with the same `webhook-id` and body and a fresh retry
    /// schedule, whatever its state. Refused (`StoreError.conflict`) while its endpoint is
    /// disabled or removed: enable the endpoint first.
    public func redeliver(publicID: String, projectID: Int64?) async throws -> DeliveryRecord {
        let rows = try await pool.query("""
            WITH target AS (
                SELECT d.id, e.public_id AS endpoint, e.enabled, e.disabled_reason FROM deliveries d
                LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id
                WHERE d.public_id = \(publicID) AND (\(projectID)::bigint IS NULL OR d.project_id = \(projectID))
            ), requeued AS (
                UPDATE deliveries d SET state = 'pending', next_attempt_at = now(), finished_at = NULL,
                       schedule_start = d.attempt, lease_owner = NULL, lease_expires_at = NULL
                FROM target t WHERE d.id = t.id AND (t.endpoint IS NULL OR t.enabled)
                RETURNING d.id
            )
            SELECT t.endpoint, t.enabled, t.disabled_reason, (SELECT count(*) FROM requeued)::integer AS requeued FROM target t
            """)
        guard let row = rows.first else { throw StoreError.notFound("delivery \(publicID)") }
        if try row.decode("requeued", as: Int.self) == 0 {
            let endpoint: String = try row.decode("endpoint", as: String?.self) ?? "?"
            let reason: String = try row.decode("disabled_reason", as: String?.self) ?? "disabled"
            throw StoreError.conflict(
                "delivery \(publicID) goes to endpoint \(endpoint), which is disabled (\(reason)); "
                    + "enable it with `longhaul webhooks enable \(endpoint)` first")
        }
        try await pool.notify(QueueChannel.deliveries)
        return try await detail(publicID: publicID, projectID: projectID).delivery
    }

    /// Sends again every delivery that failed (and, with `includeCancelled`, every one cancelled)
    /// whose event happened at or after `since`, to endpoints that are enabled now (or per-job
    /// URLs); each keeps its `webhook-id` and gets a fresh schedule. Returns how many.
    public func resend(since: Date, projectID: Int64?, includeCancelled: Bool = false) async throws -> Int {
        let states = includeCancelled ? ["failed", "cancelled"] : ["failed"]
        let rows = try await pool.query("""
            UPDATE deliveries d SET state = 'pending', next_attempt_at = now(), finished_at = NULL,
                   schedule_start = d.attempt, lease_owner = NULL, lease_expires_at = NULL
            WHERE d.state::text = ANY(\(states)) AND d.created_at >= \(since)
              AND (\(projectID)::bigint IS NULL OR d.project_id = \(projectID))
              AND (d.endpoint_id IS NULL OR EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = d.endpoint_id AND e.enabled))
            """)
        if rows.affectedRows > 0 { try await pool.notify(QueueChannel.deliveries) }
        return rows.affectedRows
    }

    static func decodeRecord(_ row: PostgresRow) throws -> DeliveryRecord {
        let state: String = try row.decode("state")
        return DeliveryRecord(
            publicID: try row.decode("public_id"), project: try row.decode("project"), endpoint: try row.decode("endpoint"),
            job: try row.decode("job"), batch: try row.decode("batch"), url: try row.decode("url"),
            eventType: try row.decode("event_type"), state: try DeliveryState(rawValue: state).orThrow("delivery state \(state)"),
            attempts: try row.decode("attempt"), nextAttemptAt: try row.decode("next_attempt_at"),
            lastStatus: try row.decode("last_status"), lastError: try row.decode("last_error"),
            createdAt: try row.decode("created_at"), finishedAt: try row.decode("finished_at"))
    }
}
