import Foundation
public import Postgres

/// The webhook outbox as the Deliverer sees it: claim due deliveries under a lease, record what
/// each attempt came to — in batches, one transaction for many — and disable failing endpoints.
///
/// A claim takes a lease, and a due delivery under a live lease is not claimed again, so a
/// Deliverer that dies mid-send simply lets the lease run out and the delivery come due again
/// (with the same `webhook-id`): at least once, with no rescue pass.
public struct DeliveryStore: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Claims up to `limit` due deliveries whose endpoint (if any) is enabled and that no live
    /// lease holds, counting an attempt for each; with the secrets that sign them.
    ///
    /// The claim writes the lease and the attempt count, which no index names, so PostgreSQL
    /// updates the row in place (a HOT update; the table leaves half of each page free for it).
    /// Moving `next_attempt_at` past the lease instead, as it once did, wrote an entry in each of
    /// the table's indexes: 1,669–1,821 WAL bytes per claim against 289–335 (`bench/pipeline.sh`).
    public func claim(worker: String, limit: Int, lease: Duration) async throws -> [ClaimedDelivery] {
        guard limit > 0 else { return [] }
        let leaseSeconds = Double(lease.milliseconds) / 1000
        let rows = try await pool.query("""
            WITH due AS (
                SELECT d.id FROM deliveries d
                WHERE d.state = 'pending' AND d.next_attempt_at <= now()
                  AND (d.lease_expires_at IS NULL OR d.lease_expires_at <= now())
                  AND (d.endpoint_id IS NULL OR EXISTS (
                       SELECT 1 FROM webhook_endpoints w WHERE w.id = d.endpoint_id AND w.enabled))
                ORDER BY d.next_attempt_at LIMIT \(limit) FOR UPDATE OF d SKIP LOCKED
            ), claimed AS (
                UPDATE deliveries d
                SET attempt = d.attempt + 1, lease_owner = \(worker),
                    lease_expires_at = now() + make_interval(secs => \(leaseSeconds))
                FROM due WHERE d.id = due.id
                RETURNING d.id, d.public_id, d.project_id, d.endpoint_id, d.url, d.event_type, d.body, d.attempt, d.schedule_start
            )
            SELECT c.id, c.public_id, c.project_id, e.public_id AS endpoint, c.url, c.event_type, c.body,
                   c.attempt, c.attempt - c.schedule_start AS position, \(unescaped: WebhookStore.secretsSQL) AS secrets
            FROM claimed c JOIN projects p ON p.id = c.project_id LEFT JOIN webhook_endpoints e ON e.id = c.endpoint_id
            ORDER BY c.id
            """)
        return try rows.map { row in
            ClaimedDelivery(
                id: try row.decode("id"), publicID: try row.decode("public_id"), projectID: try row.decode("project_id"),
                endpointID: try row.decode("endpoint"), url: try row.decode("url"), eventType: try row.decode("event_type"),
                body: Data(try row.decode("body", as: String.self).utf8), attempt: try row.decode("attempt"),
                schedulePosition: try row.decode("position"), secrets: try row.decode("secrets"))
        }
    }

    /// One attempt as a row of the batch written by `record`.
    private struct AttemptRow: Encodable {
        var delivery_id: Int64
        var attempt: Int
        var outcome: String
        var retry_ms: Int64?
        var started_at: String
        var duration_ms: Int
        var http_status: Int?
        var response_body: String?
        var error: String?
        var address: String?
    }

    /// Records attempts made by `worker`: each attempt's log row, the delivery's new state (only
    /// where the worker still holds the lease for that attempt) and the endpoints' failure
    /// streaks. An endpoint that answered 410, or has failed without a break for longer than
    /// `disableAfter`, is disabled with the reason and its pending deliveries are cancelled.
    /// Returns how many deliveries changed.
    @discardableResult
    public func record(_ results: [DeliveryAttemptResult], worker: String, disableAfter: Duration) async throws -> Int {
        guard !results.isEmpty else { return 0 }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let rows = results.map { result in
            var retry: Int64?
            if case .failed(let delay?) = result.outcome { retry = delay.milliseconds }
            return AttemptRow(
                delivery_id: result.deliveryID, attempt: result.attempt, outcome: result.outcome.name, retry_ms: retry,
                started_at: formatter.string(from: result.startedAt), duration_ms: result.durationMilliseconds,
                http_status: result.httpStatus, response_body: result.responseBody.map { String($0.prefix(1024)) },
                error: result.error.map { String($0.prefix(2000)) }, address: result.address)
        }
        let disableSeconds = Double(disableAfter.milliseconds) / 1000
        return try await pool.retryingSerializationFailures {
            try await pool.transaction { connection in
                let changed = try await connection.query("""
                    WITH input AS (
                        SELECT * FROM jsonb_to_recordset(\(recordset(rows))) AS u(
                            delivery_id bigint, attempt smallint, outcome text, retry_ms bigint, started_at timestamptz,
                            duration_ms integer, http_status smallint, response_body text, error text, address text)
                    ), logged AS (
                        INSERT INTO delivery_attempts (delivery_id, attempt, started_at, duration_ms, http_status, response_body, error, address)
                        SELECT u.delivery_id, u.attempt, u.started_at, u.duration_ms, u.http_status, u.response_body, u.error, u.address
                        FROM input u WHERE EXISTS (SELECT 1 FROM deliveries d WHERE d.id = u.delivery_id)
                    ), updated AS (
                        UPDATE deliveries d
                        SET state = CASE
                                WHEN u.outcome = 'delivered' THEN 'succeeded'
                                WHEN u.outcome = 'released' OR (u.outcome = 'failed' AND u.retry_ms IS NOT NULL) THEN 'pending'
                                ELSE 'failed' END::delivery_state,
                            next_attempt_at = CASE
                                WHEN u.outcome = 'failed' AND u.retry_ms IS NOT NULL THEN now() + make_interval(secs => u.retry_ms / 1000.0)
                                WHEN u.outcome = 'released' THEN now()
                                ELSE d.next_attempt_at END,
                            finished_at = CASE
                                WHEN u.outcome IN ('delivered', 'gone') OR (u.outcome = 'failed' AND u.retry_ms IS NULL) THEN now() END,
                            last_status = coalesce(u.http_status, CASE WHEN u.outcome = 'released' THEN d.last_status END),
                            last_error = u.error, lease_owner = NULL, lease_expires_at = NULL
                        FROM input u
                        WHERE d.id = u.delivery_id AND d.state = 'pending' AND d.lease_owner = \(worker) AND d.attempt = u.attempt
                        RETURNING d.id, d.endpoint_id, u.outcome, u.error, u.http_status
                    ), streaks AS (
                        SELECT endpoint_id, bool_or(outcome = 'delivered') AS delivered, bool_or(outcome = 'gone') AS gone,
                               bool_or(outcome IN ('failed', 'gone')) AS failed,
                               (array_agg(coalesce('HTTP ' || http_status || ': ', '') || coalesce(error, '') ORDER BY id DESC)
                                   FILTER (WHERE outcome IN ('failed', 'gone')))[1] AS last_error
                        FROM updated WHERE endpoint_id IS NOT NULL GROUP BY endpoint_id
                    ), endpoints AS (
                        UPDATE webhook_endpoints e
                        SET failing_since = CASE WHEN s.delivered AND NOT s.gone THEN NULL
                                                 WHEN s.failed THEN coalesce(e.failing_since, now()) ELSE e.failing_since END,
                            -- coalesce: a healthy endpoint has no failing_since, and NOT NULL is NULL.
                            enabled = NOT (s.gone OR (s.failed AND NOT s.delivered
                                           AND coalesce(e.failing_since < now() - make_interval(secs => \(disableSeconds)), false))),
                            disabled_reason = CASE
                                WHEN s.gone THEN 'the receiver answered 410 Gone on ' || to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')
                                WHEN s.failed AND NOT s.delivered AND e.failing_since < now() - make_interval(secs => \(disableSeconds))
                                THEN 'every delivery failed since ' || to_char(e.failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')
                                     || '; last error: ' || left(s.last_error, 500)
                                ELSE e.disabled_reason END,
                            updated_at = now()
                        FROM streaks s
                        WHERE e.id = s.endpoint_id AND e.enabled
                        RETURNING e.id, e.enabled
                    )
                    SELECT (SELECT count(*) FROM updated)::integer AS changed,
                           coalesce((SELECT array_agg(id) FROM endpoints WHERE NOT enabled), '{}') AS disabled
                    """)
                let row = try changed.first.orThrow("recording delivery attempts returned no row")
                let disabled: [Int64] = try row.decode("disabled")
                if !disabled.isEmpty {
                    // A separate statement: the one above cannot see its own changes to these rows.
                    try await connection.query("""
                        WITH marked AS (
                            UPDATE webhook_endpoints SET disabled_at = now() WHERE id = ANY(\(disabled))
                            RETURNING id, disabled_reason
                        )
                        UPDATE deliveries d SET state = 'cancelled', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL,
                               last_error = 'the endpoint was disabled: ' || coalesce(m.disabled_reason, '')
                        FROM marked m WHERE d.endpoint_id = m.id AND d.state = 'pending'
                        """)
                }
                return try row.decode("changed", as: Int.self)
            }
        }
    }
}

extension DeliveryAttemptResult.Outcome {
    var name: String {
        switch self {
        case .delivered: "delivered"
        case .failed: "failed"
        case .gone: "gone"
        case .released: "released"
        }
    }
}
