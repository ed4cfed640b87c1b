import Postgres

/// The webhook outbox: the `deliveries` rows written in the transaction that ends a job (or
/// finishes a batch), so a crash between the two cannot lose an event. The Deliverer sends them
/// (`DeliveryStore`).
public struct WebhookOutbox: Sendable {
    /// The API's public base URL, for `result_url` in payloads (`LONGHAUL_PUBLIC_URL`, read by the caller).
    var publicBaseURL: String
    let notifications: NotifyLimiter

    /// Where receivers reach the API unless the caller says otherwise.
    public static let defaultPublicBaseURL = "http://127.0.0.1:8080"

    /// The outbox rows for ended jobs, one per matching endpoint and one for a per-job URL.
    /// The body is built here, once (`JobEvent`), and signed at send time. It is a thin payload
    /// (ids, state, usage, error, metadata and where to fetch the result); the summary text is
    /// added only for endpoints that ask and only when the whole body stays within
    /// `maxWebhookBodyBytes`. No endpoint and no per-job URL: no statement.
    func writeJobEvents(_ announcements: [JobAnnouncement], on connection: PostgresConnection) async throws {
        let rows = announcements.flatMap { $0.deliveries(publicBaseURL: publicBaseURL, maxBodyBytes: Self.maxWebhookBodyBytes) }
        guard !rows.isEmpty else { return }
        try await connection.query("""
            INSERT INTO deliveries (project_id, endpoint_id, job_id, batch_id, url, event_type, body)
            SELECT u.*
            FROM unnest(\(rows.map(\.projectID))::bigint[], \(rows.map(\.endpointID))::bigint[], \(rows.map(\.jobID))::bigint[],
                        \(rows.map(\.batchID))::bigint[], \(rows.map(\.url))::text[], \(rows.map(\.eventType))::text[],
                        \(rows.map(\.body))::text[]) AS u
            """)
        try notifications.notify(QueueChannel.deliveries, on: connection)
    }

    /// `project.paused` or `project.resumed` for each of `projectIDs`, as each project now stands
    /// (written in the transaction that paused or resumed it, so each change is announced once).
    func writeProjectEvents(projectIDs: [Int64], on connection: PostgresConnection) async throws {
        let written = try await connection.query("""
            INSERT INTO deliveries (project_id, endpoint_id, url, event_type, body)
            SELECT p.id, e.id, e.url, ev.type,
                   jsonb_build_object(
                       'type', ev.type,
                       'timestamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                       'data', jsonb_build_object(
                           'id', p.slug, 'object', 'project', 'paused', p.paused_at IS NOT NULL,
                           'paused_at', to_char(p.paused_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                           'code', p.pause_code, 'reason', p.pause_reason,
                           'project_url', \(publicBaseURL) || '/v1/projects/' || p.slug))::text
            FROM projects p
            CROSS JOIN LATERAL (SELECT CASE WHEN p.paused_at IS NOT NULL THEN 'project.paused' ELSE 'project.resumed' END AS type) ev
            JOIN webhook_endpoints e ON e.project_id = p.id AND e.enabled
                                    AND (cardinality(e.event_types) = 0 OR ev.type = ANY (e.event_types))
            WHERE p.id = ANY (\(projectIDs))
            """)
        if written.affectedRows > 0 {
            try notifications.notify(QueueChannel.deliveries, on: connection)
        }
    }

    /// Standard Webhooks: payloads are "usually smaller than 20kb"; larger data is linked.
    static let maxWebhookBodyBytes = 20_000

    /// Counts ended jobs off their batches; a batch that reaches zero pending is finished and
    /// announces `batch.completed`. The row lock on each batch makes exactly one transaction see zero.
    func closeBatches(_ batchIDs: [Int64], on connection: PostgresConnection) async throws {
        let finished = try await connection.query("""
            WITH ended AS (
                SELECT b, count(*)::integer AS n FROM unnest(\(batchIDs)::bigint[]) AS b GROUP BY b ORDER BY b
            )
            UPDATE batches SET pending_jobs = greatest(pending_jobs - ended.n, 0),
                               finished_at = CASE WHEN pending_jobs - ended.n <= 0 THEN now() ELSE NULL END
            FROM ended WHERE batches.id = ended.b
            RETURNING batches.id, batches.pending_jobs
            """)
        let completed = try finished.filter { try $0.decode("pending_jobs", as: Int.self) == 0 }.map { try $0.decode("id", as: Int64.self) }
        guard !completed.isEmpty else { return }
        let written = try await connection.query("""
            INSERT INTO deliveries (project_id, endpoint_id, batch_id, url, event_type, body)
            SELECT b.project_id, t.endpoint_id, b.id, t.url, 'batch.completed',
                   jsonb_build_object(
                       'type', 'batch.completed',
                       'timestamp', to_char(b.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                       'data', jsonb_build_object(
                           'id', b.public_id, 'object', 'batch', 'project', p.slug, 'name', b.name,
                           'total_jobs', b.total_jobs, 'counts', c.counts, 'usage', c.usage,
                           'result_url', \(publicBaseURL) || '/v1/batches/' || b.public_id))::text
            FROM batches b
            JOIN projects p ON p.id = b.project_id
            CROSS JOIN LATERAL (
                SELECT jsonb_object_agg(s.state, s.n) AS counts,
                       jsonb_build_object('input_tokens', sum(s.input_tokens), 'output_tokens', sum(s.output_tokens),
                                          'total_tokens', sum(s.total_tokens)) AS usage
                FROM (SELECT j.state::text AS state, count(*) AS n, coalesce(sum(r.input_tokens), 0) AS input_tokens,
                             coalesce(sum(r.output_tokens), 0) AS output_tokens, coalesce(sum(r.total_tokens), 0) AS total_tokens
                      FROM jobs j \(unescaped: JobStore.resultByKey) WHERE j.batch_id = b.id GROUP BY j.state) s
            ) c
            CROSS JOIN LATERAL (
                SELECT e.id AS endpoint_id, e.url FROM webhook_endpoints e
                WHERE e.project_id = b.project_id AND e.enabled
                  AND (cardinality(e.event_types) = 0 OR 'batch.completed' = ANY (e.event_types))
                UNION ALL
                SELECT NULL, b.webhook_url WHERE b.webhook_url IS NOT NULL
            ) t
            WHERE b.id = ANY (\(completed))
            """)
        if written.affectedRows > 0 {
            try notifications.notify(QueueChannel.deliveries, on: connection)
        }
    }
}
