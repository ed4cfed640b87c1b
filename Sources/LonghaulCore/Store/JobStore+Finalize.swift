import Foundation
import Postgres

/// How one job ends: its terminal state and what to store with it.
struct Finalization: Encodable, Sendable {
    var jobID: Int64
    var attempt: Int?
    var state: JobState
    var remoteStatus: String?
    var outputText: String?
    var inputTokens: Int?
    var cachedTokens: Int?
    var outputTokens: Int?
    var reasoningTokens: Int?
    var totalTokens: Int?
    var incompleteReason: String?
    var errorCode: String?
    var errorMessage: String?
    /// The final Response JSON as Mantle sent it. Read as `text` and cast, because a jsonb
    /// column of `jsonb_to_recordset` would keep it as one JSON string, not the object.
    var response: String?

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id", attempt, state, remoteStatus = "remote_status", outputText = "output_text"
        case inputTokens = "input_tokens", cachedTokens = "cached_tokens", outputTokens = "output_tokens"
        case reasoningTokens = "reasoning_tokens", totalTokens = "total_tokens", incompleteReason = "incomplete_reason"
        case errorCode = "error_code", errorMessage = "error_message", response
    }

    init(
        jobID: Int64, attempt: Int?, state: JobState, remoteStatus: String? = nil, outputText: String? = nil,
        usage: Usage? = nil, incompleteReason: String? = nil, errorCode: String? = nil, errorMessage: String? = nil,
        response: String? = nil
    ) {
        self.jobID = jobID
        self.attempt = attempt
        self.state = state
        self.remoteStatus = remoteStatus
        self.outputText = outputText
        self.inputTokens = usage?.inputTokens
        self.cachedTokens = usage?.cachedTokens
        self.outputTokens = usage?.outputTokens
        self.reasoningTokens = usage?.reasoningTokens
        self.totalTokens = usage?.totalTokens
        self.incompleteReason = incompleteReason
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.response = response
    }
}

/// Which rows a finalizing write may touch: only those still where the writer left them.
enum FinalizationGuard {
    case submittingLeasedBy(String)
    case runningLeasedBy(String)
    case queued
    case submittingWithExpiredLease

    var sql: String {
        switch self {
        case .submittingLeasedBy, .submittingWithExpiredLease: "j.state = 'submitting'"
        case .runningLeasedBy: "j.state = 'running'"
        case .queued: "j.state = 'queued'"
        }
    }

    var leaseOwner: String? {
        switch self {
        case .submittingLeasedBy(let worker), .runningLeasedBy(let worker): worker
        case .queued, .submittingWithExpiredLease: nil
        }
    }
}

extension JobStore {
    /// Ends jobs in one statement set, inside the caller's transaction: the state and finish time,
    /// the result row, the outbox rows for each matching webhook endpoint (and the job's own
    /// `webhook_url`), the batch counters and — for the batch whose last job this was —
    /// `batch.completed`. Returns how many jobs it ended.
    func finalize(_ endings: [Finalization], guard rowGuard: FinalizationGuard, on connection: PostgresConnection) async throws -> Int {
        guard !endings.isEmpty else { return 0 }
        let ended = try await connection.query("""
            WITH input AS (
                SELECT * FROM jsonb_to_recordset(\(recordset(endings))) AS u(
                    job_id bigint, attempt smallint, state job_state, remote_status text, output_text text,
                    input_tokens integer, cached_tokens integer, output_tokens integer, reasoning_tokens integer,
                    total_tokens integer, incomplete_reason text, error_code text, error_message text, response text)
            ), ended AS (
                UPDATE jobs j
                SET state = u.state, remote_status = coalesce(u.remote_status, j.remote_status), finished_at = now(),
                    updated_at = now(), lease_owner = NULL, lease_expires_at = NULL, next_poll_at = NULL
                FROM input u
                WHERE j.id = u.job_id AND \(unescaped: rowGuard.sql)
                  AND (\(rowGuard.leaseOwner)::text IS NULL OR j.lease_owner = \(rowGuard.leaseOwner))
                  AND (u.attempt IS NULL OR j.attempt = u.attempt)
                  AND (\(rowGuard.isExpiredLease) = false OR j.lease_expires_at < now())
                RETURNING j.id, j.batch_id
            ), stored AS (
                INSERT INTO results (job_id, output_text, input_tokens, cached_tokens, output_tokens, reasoning_tokens,
                                     total_tokens, incomplete_reason, error_code, error_message, response)
                SELECT u.job_id, u.output_text, u.input_tokens, u.cached_tokens, u.output_tokens, u.reasoning_tokens,
                       u.total_tokens, u.incomplete_reason, u.error_code, u.error_message, u.response::jsonb
                FROM input u JOIN ended e ON e.id = u.job_id
                ON CONFLICT (job_id) DO UPDATE SET
                    output_text = excluded.output_text, input_tokens = excluded.input_tokens,
                    cached_tokens = excluded.cached_tokens, output_tokens = excluded.output_tokens,
                    reasoning_tokens = excluded.reasoning_tokens, total_tokens = excluded.total_tokens,
                    incomplete_reason = excluded.incomplete_reason, error_code = excluded.error_code,
                    error_message = excluded.error_message, response = excluded.response, created_at = now()
            ), closed_attempts AS (
                UPDATE attempts a SET outcome = u.state::text, finished_at = now(),
                       error_code = coalesce(a.error_code, u.error_code), error_message = coalesce(a.error_message, u.error_message)
                FROM input u JOIN ended e ON e.id = u.job_id
                WHERE a.job_id = u.job_id AND a.attempt = u.attempt AND a.outcome = 'submitted'
            )
            SELECT id, batch_id FROM ended
            """)
        let jobIDs = try ended.map { try $0.decode("id", as: Int64.self) }
        guard !jobIDs.isEmpty else { return 0 }
        let batchIDs = try ended.compactMap { try $0.decode("batch_id", as: Int64?.self) }
        try await writeJobEvents(jobIDs: jobIDs, on: connection)
        if !batchIDs.isEmpty {
            try await closeBatches(batchIDs, on: connection)
        }
        return jobIDs.count
    }

    /// The outbox rows for ended jobs, one per matching endpoint and one for a per-job URL.
    /// The body is built here, once, and signed at send time. It is a thin payload (ids, state,
    /// usage, error, metadata and where to fetch the result); the summary text is added only for
    /// endpoints that ask and only when the whole body stays within `maxWebhookBodyBytes`.
    private func writeJobEvents(jobIDs: [Int64], on connection: PostgresConnection) async throws {
        let written = try await connection.query("""
            INSERT INTO deliveries (public_id, project_id, endpoint_id, job_id, batch_id, url, event_type, body)
            SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), j.project_id, t.endpoint_id, j.id, j.batch_id, t.url,
                   'job.' || j.state,
                   (CASE WHEN t.include_result AND r.output_text IS NOT NULL
                              AND octet_length(jsonb_set(ev.payload, '{data,result}', jsonb_build_object('text', r.output_text))::text)
                                  <= \(Self.maxWebhookBodyBytes)
                         THEN jsonb_set(ev.payload, '{data,result}', jsonb_build_object('text', r.output_text))
                         ELSE ev.payload END)::text
            FROM jobs j
            JOIN projects p ON p.id = j.project_id
            LEFT JOIN batches b ON b.id = j.batch_id
            LEFT JOIN results r ON r.job_id = j.id
            CROSS JOIN LATERAL (
                SELECT jsonb_build_object(
                       'type', 'job.' || j.state,
                       'timestamp', to_char(j.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                       'data', jsonb_build_object(
                           'id', j.public_id, 'object', 'job', 'project', p.slug, 'batch', b.public_id,
                           'state', j.state, 'remote_status', j.remote_status, 'model', j.model,
                           'response_id', j.response_id, 'attempt', j.attempt, 'source_path', j.source_path,
                           'usage', CASE WHEN r.total_tokens IS NULL THEN NULL ELSE jsonb_build_object(
                               'input_tokens', r.input_tokens, 'cached_tokens', r.cached_tokens,
                               'output_tokens', r.output_tokens, 'reasoning_tokens', r.reasoning_tokens,
                               'total_tokens', r.total_tokens) END,
                           'error', CASE WHEN r.error_code IS NULL AND r.error_message IS NULL THEN NULL
                                         ELSE jsonb_build_object('code', r.error_code, 'message', left(r.error_message, 2000)) END,
                           'incomplete_details', CASE WHEN r.incomplete_reason IS NULL THEN NULL
                                                      ELSE jsonb_build_object('reason', r.incomplete_reason) END,
                           'metadata', j.metadata,
                           'created_at', to_char(j.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                           'finished_at', to_char(j.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                           'result_url', \(publicBaseURL) || '/v1/jobs/' || j.public_id)) AS payload
            ) ev
            CROSS JOIN LATERAL (
                SELECT e.id AS endpoint_id, e.url, e.include_result
                FROM webhook_endpoints e
                WHERE e.project_id = j.project_id AND e.enabled
                  AND (cardinality(e.event_types) = 0 OR ('job.' || j.state) = ANY (e.event_types))
                UNION ALL
                SELECT NULL, j.webhook_url, false WHERE j.webhook_url IS NOT NULL
            ) t
            WHERE j.id = ANY (\(jobIDs))
            """)
        if written.affectedRows > 0 {
            try await notify(Channel.deliveries, on: connection)
        }
    }

    /// Standard Webhooks: payloads are "usually smaller than 20kb"; larger data is linked.
    static let maxWebhookBodyBytes = 20_000

    /// Counts ended jobs off their batches; a batch that reaches zero pending is finished and
    /// announces `batch.completed`. The row lock on each batch makes exactly one transaction see zero.
    private func closeBatches(_ batchIDs: [Int64], on connection: PostgresConnection) async throws {
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
            INSERT INTO deliveries (public_id, project_id, endpoint_id, batch_id, url, event_type, body)
            SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), b.project_id, t.endpoint_id, b.id, t.url, 'batch.completed',
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
                      FROM jobs j LEFT JOIN results r ON r.job_id = j.id WHERE j.batch_id = b.id GROUP BY j.state) s
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
            try await notify(Channel.deliveries, on: connection)
        }
    }
}

extension FinalizationGuard {
    var isExpiredLease: Bool {
        if case .submittingWithExpiredLease = self { return true }
        return false
    }
}
