import Postgres

/// Ends jobs: the one writer of terminal states, for the queue (results of Mantle) and the store
/// (a cancel of a queued job) alike, so that a job's state, result, webhook outbox rows and batch
/// counters are always written together, in the caller's transaction.
struct JobFinalizer: Sendable {
    let outbox: WebhookOutbox

    init(publicBaseURL: String) {
        self.outbox = WebhookOutbox(publicBaseURL: publicBaseURL, notifications: NotifyLimiter())
    }

    /// Ends jobs in one statement set, inside the caller's transaction: the state and finish time,
    /// the result row, the outbox rows for each matching webhook endpoint (and the job's own
    /// `webhook_url`), the batch counters and — for the batch whose last job this was —
    /// `batch.completed`. Returns how many jobs it ended.
    func finalize(_ endings: [Finalization], guard rowGuard: FinalizationGuard, on connection: PostgresConnection) async throws -> Int {
        guard !endings.isEmpty else { return 0 }
        // Planned once per connection, not at each call. Left to choose, PostgreSQL plans this
        // statement afresh for its first five runs on each connection and, its own plan judged
        // cheaper, mostly after them too: 0.65 plans a call, 23-28 µs a job of planning at ~1.3 ms
        // a plan (`STATEMENTS=1 bench/pipeline.sh 10000 256`); forced generic, 0.10 plans a call
        // and 7 µs a job, the same execution time (the same plan shape: the ids' primary keys,
        // the recordset's default 100 rows). Only for this statement: reset right after it. Both
        // settings travel with the statement after them, not in round trips of their own.
        try connection.sendWithNextStatement("SET LOCAL plan_cache_mode = force_generic_plan")
        let ended = try await connection.query("""
            WITH given AS (
                -- One ending per job: a poll claimed again while its first outcome waited to be
                -- written can put two endings of one job in a batch, and the results insert below
                -- must not touch a row twice (SQLSTATE 21000 would fail the whole batch, forever).
                SELECT DISTINCT ON (job_id) * FROM jsonb_to_recordset(\(FinalizationRecordset(endings: endings))) AS u(
                    job_id bigint, attempt smallint, state job_state, remote_status text, output_text text,
                    input_tokens integer, cached_tokens integer, output_tokens integer, reasoning_tokens integer,
                    total_tokens integer, incomplete_reason text, error_code text, error_message text, response jsonb)
            ), input AS (
                -- A job cancelled because its deadline had passed (the Maintainer's sweep, or any
                -- cancel asked for after it) ends as what that is: `failed`, `deadline_exceeded`,
                -- keeping the usage of what it ran. A cancel asked for before the deadline stays a
                -- cancel, even when Mantle's answer arrives after it. The one place of that rule.
                --
                -- A job's usage is every token it was billed for: the tokens of earlier attempts that
                -- were cut mid-stream (`interrupted`) or lost with their worker (`abandoned`) are
                -- added to the ending's, so reports and spending caps count them too.
                --
                -- Bedrock goes on generating, and billing, a held stream whose connection dropped
                -- (litellm#34147, from AWS's Cost and Usage Reports): what a cut attempt went on to
                -- write is unseen, up to its `max_output_tokens`, and so is what a held stream closed
                -- by the user's cancel goes on to write (Mantle's cancel stops a background Response;
                -- a stream has no cancel). Usage keeps what was seen; the spending caps are also
                -- charged the unseen rest (`unseen_output`), at the worst case.
                SELECT g.job_id, g.attempt, CASE WHEN d.id IS NULL THEN g.state ELSE 'failed' END AS state,
                       g.remote_status, g.output_text,
                       CASE WHEN e.attempts = 0 THEN g.input_tokens ELSE coalesce(g.input_tokens, 0) + e.input_tokens END AS input_tokens,
                       CASE WHEN e.attempts = 0 THEN g.cached_tokens ELSE coalesce(g.cached_tokens, 0) + e.cached_tokens END AS cached_tokens,
                       CASE WHEN e.attempts = 0 THEN g.output_tokens ELSE coalesce(g.output_tokens, 0) + e.output_tokens END AS output_tokens,
                       g.reasoning_tokens,
                       CASE WHEN e.attempts = 0 THEN g.total_tokens
                            ELSE coalesce(g.total_tokens, 0) + e.input_tokens + e.output_tokens END AS total_tokens,
                       g.incomplete_reason,
                       CASE WHEN d.id IS NULL THEN g.error_code ELSE 'deadline_exceeded' END AS error_code,
                       CASE WHEN d.id IS NULL THEN g.error_message
                            ELSE 'the deadline ' || to_char(d.deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' passed '
                                 || CASE d.state WHEN 'queued' THEN 'before the job was submitted'
                                                 WHEN 'waiting_for_children' THEN 'while its chunks were being summarised; their calls were cancelled'
                                                 ELSE 'while it ran; its call was cancelled' END
                       END AS error_message,
                       g.response,
                       e.unseen_output + CASE WHEN g.error_code = \(AttemptError.streamCut) OR g.state = 'cancelled'
                           THEN (SELECT CASE WHEN g.error_code = \(AttemptError.streamCut) OR m.held
                                             THEN greatest(m.max_output_tokens - coalesce(g.output_tokens, 0), 0) ELSE 0 END
                                 FROM jobs m WHERE m.id = g.job_id)
                           ELSE 0 END AS unseen_output
                FROM given g
                LEFT JOIN jobs d ON d.id = g.job_id AND g.state = 'cancelled'
                                AND d.deadline <= coalesce(d.cancel_requested_at, now())
                CROSS JOIN LATERAL (
                    SELECT count(*) AS attempts, coalesce(sum(a.input_tokens), 0)::integer AS input_tokens,
                           coalesce(sum(a.cached_tokens), 0)::integer AS cached_tokens,
                           coalesce(sum(a.output_tokens), 0)::integer AS output_tokens,
                           coalesce(sum(greatest(m.max_output_tokens - coalesce(a.output_tokens, 0), 0))
                                    FILTER (WHERE a.outcome = 'abandoned' OR a.error_code = \(AttemptError.streamCut)), 0)::integer AS unseen_output
                    FROM attempts a JOIN jobs m ON m.id = a.job_id
                    -- A first attempt has none before it: the test on `g` alone skips the scan
                    -- for most endings.
                    WHERE coalesce(g.attempt, 2) > 1
                      AND a.job_id = g.job_id AND a.outcome IN ('interrupted', 'abandoned')
                      AND a.attempt < coalesce(g.attempt, 32767)
                      AND (a.input_tokens IS NOT NULL OR a.output_tokens IS NOT NULL)
                ) e
            ), ended AS (
                UPDATE jobs j
                SET state = u.state, remote_status = coalesce(u.remote_status, j.remote_status), finished_at = now(),
                    updated_at = now(), lease_owner = NULL, lease_expires_at = NULL, next_poll_at = NULL, children_due_at = NULL
                FROM input u
                WHERE j.id = u.job_id AND \(unescaped: rowGuard.sql)
                  AND (\(rowGuard.leaseOwner)::text IS NULL OR j.lease_owner = \(rowGuard.leaseOwner))
                  AND (u.attempt IS NULL OR j.attempt = u.attempt)
                  AND (\(rowGuard.isExpiredLease) = false OR j.lease_expires_at < now())
                RETURNING j.id, j.batch_id, j.parent_id, j.project_id, j.budget_batch_id, j.model, j.submitted_at,
                          j.params->>'service_tier' AS asked_tier, j.public_id, j.state, j.remote_status, j.response_id,
                          j.attempt, j.source_path, j.metadata, j.webhook_url, j.created_at, j.finished_at
            ), stored AS (
                INSERT INTO results (job_id, output_text, input_tokens, cached_tokens, output_tokens, reasoning_tokens,
                                     total_tokens, incomplete_reason, error_code, error_message, response)
                SELECT u.job_id, u.output_text, u.input_tokens, u.cached_tokens, u.output_tokens, u.reasoning_tokens,
                       u.total_tokens, u.incomplete_reason, u.error_code, u.error_message, u.response
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
            ), spent AS (
                -- What each ended job's calls spent (a split job's own row, never submitted, sums
                -- calls counted already), for the caps it ran under. Only a job under a cap is
                -- priced: `longhaul_call_cost` reads the prices view, 10-14 µs a call (psql,
                -- 10,000 calls), which every ending paid for caps most projects do not have.
                SELECT e.project_id, e.budget_batch_id,
                       coalesce(u.input_tokens, 0) + coalesce(u.output_tokens, 0) + u.unseen_output AS tokens,
                       coalesce(longhaul_call_cost(e.model, longhaul_priced_tier(u.response->>'service_tier', e.asked_tier),
                                                   coalesce(u.input_tokens, 0), coalesce(u.cached_tokens, 0),
                                                   coalesce(u.output_tokens, 0) + u.unseen_output), 0) AS cost
                FROM ended e JOIN input u ON u.job_id = e.id
                WHERE e.submitted_at IS NOT NULL
                  AND (e.budget_batch_id IS NOT NULL OR e.project_id IN (SELECT project_id FROM project_budgets))
            ), settled AS (
                -- Against their project's caps. No cap: no row to update.
                UPDATE project_budgets b
                SET spent_tokens = CASE WHEN b.period_start = longhaul_period_start(b.period) THEN b.spent_tokens ELSE 0 END + s.tokens,
                    spent_cost = CASE WHEN b.period_start = longhaul_period_start(b.period) THEN b.spent_cost ELSE 0 END + s.cost,
                    period_start = longhaul_period_start(b.period), updated_at = now()
                FROM (SELECT project_id, sum(tokens) AS tokens, sum(cost) AS cost FROM spent GROUP BY project_id) s
                WHERE b.project_id = s.project_id
                RETURNING b.project_id
            ), batch_settled AS (
                -- Against the cap of the batch each was admitted under (migration 0022).
                UPDATE batches b SET spent_tokens = b.spent_tokens + s.tokens, spent_cost = b.spent_cost + s.cost
                FROM (SELECT budget_batch_id, sum(tokens) AS tokens, sum(cost) AS cost FROM spent
                      WHERE budget_batch_id IS NOT NULL GROUP BY budget_batch_id) s
                WHERE b.id = s.budget_batch_id
            )
            -- With each job to announce (not a map or merge call: it wakes its parent instead), what
            -- its `job.<state>` event says and the endpoints it goes to; the worker writes the
            -- bodies (`JobEvent`). The summary is read only for a job an endpoint wants it for.
            SELECT e.id, e.batch_id, e.parent_id, (SELECT array_agg(DISTINCT project_id) FROM settled) AS budget_projects,
                   e.public_id, e.project_id, p.slug AS project, b.public_id AS batch, e.state::text AS state, e.remote_status,
                   e.model, e.response_id, e.attempt, e.source_path, e.metadata::text AS metadata, e.webhook_url,
                   e.created_at::text AS created_at, e.finished_at::text AS finished_at,
                   u.input_tokens, u.cached_tokens, u.output_tokens, u.reasoning_tokens, u.total_tokens, u.incomplete_reason,
                   u.error_code, left(u.error_message, 2000) AS error_message,
                   t.endpoint_ids, t.endpoint_urls, t.include_results,
                   CASE WHEN true = ANY (t.include_results) THEN u.output_text END AS result_text
            FROM ended e
            JOIN input u ON u.job_id = e.id
            JOIN projects p ON p.id = e.project_id
            LEFT JOIN batches b ON b.id = e.batch_id
            LEFT JOIN LATERAL (
                SELECT array_agg(w.id ORDER BY w.id) AS endpoint_ids, array_agg(w.url ORDER BY w.id) AS endpoint_urls,
                       array_agg(w.include_result ORDER BY w.id) AS include_results
                FROM webhook_endpoints w
                WHERE e.parent_id IS NULL AND w.project_id = e.project_id AND w.enabled
                  AND (cardinality(w.event_types) = 0 OR ('job.' || e.state) = ANY (w.event_types))
            ) t ON true
            """)
        try connection.sendWithNextStatement("SET LOCAL plan_cache_mode TO DEFAULT")
        let jobIDs = try ended.map { try $0.decode("id", as: Int64.self) }
        guard !jobIDs.isEmpty else { return 0 }
        let batchIDs = try ended.compactMap { try $0.decode("batch_id", as: Int64?.self) }
        // A map or merge job is part of its parent's work: it wakes the parent instead of announcing itself.
        let parentIDs = try ended.compactMap { try $0.decode("parent_id", as: Int64?.self) }
        let announced = try ended.filter { try $0.decode("parent_id", as: Int64?.self) == nil }.map(JobAnnouncement.init(row:))
        if !parentIDs.isEmpty {
            try await SplitJobs.wake(parentIDs: parentIDs, on: connection)
            try outbox.notifications.notify(QueueChannel.splits, on: connection)
            try await SplitJobs.resettle(parentIDs: parentIDs, on: connection)
        }
        if !announced.isEmpty {
            try await outbox.writeJobEvents(announced, on: connection)
        }
        if !batchIDs.isEmpty {
            try await outbox.closeBatches(batchIDs, on: connection)
        }
        if let budgeted = try ended.first?.decode("budget_projects", as: [Int64]?.self), !budgeted.isEmpty {
            try await outbox.writeBudgetEvents(projectIDs: budgeted, on: connection)
        }
        return jobIDs.count
    }
}
