import Foundation
import Postgres

extension JobStore {
    static let detailColumns = """
        j.id, j.public_id, p.slug AS project, b.public_id AS batch, j.state::text AS state, j.remote_status, j.model,
        j.response_id, j.attempt, j.max_attempts, j.poll_count, j.priority, j.source_path, j.metadata, j.created_at,
        j.submitted_at, j.finished_at, j.params ->> 'service_tier' AS service_tier, r.response ->> 'service_tier' AS served_tier, j.deadline, j.urgent, r.output_text, r.input_tokens, r.cached_tokens, r.output_tokens,
        r.reasoning_tokens, r.total_tokens, r.incomplete_reason, r.error_code, r.error_message,
        p.paused_at, p.pause_kind, p.pause_code, p.pause_reason, p.next_probe_at, j.retrying_since, j.run_at,
        (SELECT q.public_id FROM jobs q WHERE q.id = j.parent_id) AS parent,
        h.opened_at AS unavailable_since, h.last_error AS unavailable_error, h.next_probe_at AS unavailable_probe_at,
        CASE WHEN j.retrying_since IS NOT NULL AND j.state = 'queued'
             THEN (SELECT a.error_code || ': ' || a.error_message FROM attempts a WHERE a.job_id = j.id ORDER BY a.id DESC LIMIT 1)
        END AS last_error,
        CASE WHEN j.state = 'queued' AND EXISTS (SELECT 1 FROM project_budgets pb WHERE pb.project_id = j.project_id)
             THEN (SELECT jsonb_build_object(
                              'period', s.period, 'max_tokens', s.max_tokens, 'max_cost', s.max_cost, 'spent_tokens', s.spent_tokens,
                              'spent_cost', s.spent_cost, 'reserved_tokens', s.reserved_tokens, 'reserved_cost', s.reserved_cost,
                              'resets_at', extract(epoch FROM s.resets_at),
                              'currency', (SELECT min(currency) FROM model_prices HAVING count(DISTINCT currency) = 1))
                   FROM longhaul_budget_state s WHERE s.project_id = j.project_id AND s.blocks_next_job
                   ORDER BY CASE s.period WHEN 'day' THEN 1 WHEN 'month' THEN 2 ELSE 3 END LIMIT 1)
        END AS budget_block,
        CASE WHEN j.state = 'queued'
             THEN (SELECT jsonb_build_object(
                              'batch', s.public_id, 'worstTokens', w.tokens, 'worstCost', w.cost,
                              -- As BatchBudget decodes it.
                              'budget', jsonb_build_object(
                                  'maxTokens', s.max_tokens, 'maxCost', s.max_cost, 'spentTokens', s.spent_tokens, 'spentCost', s.spent_cost,
                                  'reservedTokens', s.reserved_tokens, 'reservedCost', s.reserved_cost,
                                  'currency', (SELECT min(currency) FROM model_prices HAVING count(DISTINCT currency) = 1)))
                   FROM longhaul_batch_budget_state s
                   CROSS JOIN LATERAL (
                       -- The job's worst case, as the claim reserves it.
                       SELECT longhaul_expected_input_tokens(j.model, j.params, j.estimated_input_tokens) + j.max_output_tokens AS tokens,
                              CASE WHEN s.max_cost IS NOT NULL
                                   THEN longhaul_worst_case_cost(j.model, j.params, j.estimated_input_tokens, j.max_output_tokens) END AS cost
                   ) w
                   -- A map or merge call counts against its parent's batch.
                   WHERE s.batch_id = coalesce(j.batch_id, (SELECT q.batch_id FROM jobs q WHERE q.id = j.parent_id))
                     AND (s.free_tokens < w.tokens OR s.free_cost < w.cost))
        END AS batch_budget_block
        """

    static let detailJoins = """
        FROM jobs j JOIN projects p ON p.id = j.project_id
        LEFT JOIN batches b ON b.id = j.batch_id LEFT JOIN results r ON r.job_id = j.id
        LEFT JOIN endpoint_breakers h ON h.project_id = j.project_id AND h.api = 'responses' AND h.opened_at IS NOT NULL
        """

    /// Each job `j`'s `results` row as `r`, looked up by the job's key, for queries over a set of
    /// jobs (a batch's, ids given). Joined plainly, the planner's costs hash the whole results
    /// table or merge along it: with 1,000,000 jobs stored, a 10,000-job batch's tallies took
    /// 184 ms and a 500-line page of its results 850 ms, against 32 ms and 2 ms by key.
    /// `OFFSET 0` keeps the subquery from being flattened back into that join.
    static let resultByKey = "LEFT JOIN LATERAL (SELECT * FROM results r WHERE r.job_id = j.id OFFSET 0) r ON true"

    /// One job by public id, visible to `projectID` (nil: any project).
    public func job(publicID: String, projectID: Int64?) async throws -> JobDetail {
        let rows = try await pool.query(
            """
            SELECT \(unescaped: Self.detailColumns) \(unescaped: Self.detailJoins)
            WHERE j.id = (SELECT job_id FROM job_keys WHERE public_id = \(publicID)) AND (\(projectID)::bigint IS NULL OR j.project_id = \(projectID))
            """)
        guard let row = rows.first else { throw StoreError.notFound("job \(publicID)") }
        var detail = try Self.decodeDetail(row)
        detail.split = try await splitProgress(parentIDs: [detail.id])[detail.id]
        if detail.state.isInFlight { detail.partial = try await partialOutput(jobID: detail.id) }
        return detail
    }

    /// The text the current attempt's held stream checkpointed, if any: a checkpoint older than
    /// the attempt's claim (`submitted_at`) belongs to an attempt that was cut, and is not shown.
    /// Read apart from the detail so that listings never carry the partial texts.
    func partialOutput(jobID: Int64) async throws -> PartialOutput? {
        let rows = try await pool.query("""
            SELECT partial_text, partial_output_tokens, checkpointed_at FROM jobs
            WHERE id = \(jobID) AND partial_text IS NOT NULL AND checkpointed_at >= submitted_at
            """)
        guard let row = rows.first else { return nil }
        return PartialOutput(
            text: try row.decode("partial_text"), outputTokens: try row.decode("partial_output_tokens"),
            checkpointedAt: try row.decode("checkpointed_at"))
    }

    /// Jobs by id, in the order given (missing ids are left out).
    public func jobs(ids: [Int64]) async throws -> [JobDetail] {
        let rows = try await pool.query(
            """
            SELECT \(unescaped: Self.detailColumns) \(unescaped: Self.detailJoins) WHERE j.id = ANY(\(ids))
            """)
        var byID = Dictionary(
            try rows.map { row in
                let detail = try Self.decodeDetail(row)
                return (detail.id, detail)
            }, uniquingKeysWith: { a, _ in a })
        for (id, split) in try await splitProgress(parentIDs: Array(byID.keys)) { byID[id]?.split = split }
        return ids.compactMap { byID[$0] }
    }

    /// Counts by state and tokens so far for a set of jobs (what one batch run enqueued).
    public func progress(jobIDs: [Int64]) async throws -> BatchProgress {
        var progress = try Self.progress(
            rows: try await pool.query(
                """
                SELECT j.state::text AS state, count(*)::bigint AS n,
                       coalesce(sum(r.input_tokens), 0)::bigint AS input_tokens, coalesce(sum(r.output_tokens), 0)::bigint AS output_tokens
                FROM jobs j \(unescaped: Self.resultByKey) WHERE j.id = ANY(\(jobIDs)) GROUP BY j.state
                """))
        try await addSplitProgress(&progress, jobIDs: jobIDs)
        return progress
    }

    /// Adds the chunks of split jobs, and the tokens their children spent while the job itself
    /// is unfinished (an ended split job's result holds that sum already).
    private func addSplitProgress(_ progress: inout BatchProgress, jobIDs: [Int64]) async throws {
        guard progress.counts[.waitingForChildren] != nil || progress.counts.keys.contains(where: \.isTerminal) else { return }
        let rows = try await pool.query(
            """
            SELECT count(*) FILTER (WHERE c.chunk->>'level' = '1')::bigint AS chunks,
                   count(*) FILTER (WHERE c.chunk->>'level' = '1' AND c.state = 'completed')::bigint AS chunks_completed,
                   coalesce(sum(r.input_tokens) FILTER (WHERE p.state = 'waiting_for_children'), 0)::bigint AS input_tokens,
                   coalesce(sum(r.output_tokens) FILTER (WHERE p.state = 'waiting_for_children'), 0)::bigint AS output_tokens
            FROM jobs c JOIN jobs p ON p.id = c.parent_id LEFT JOIN results r ON r.job_id = c.id
            WHERE c.parent_id = ANY(\(jobIDs))
            """)
        guard let row = rows.first else { return }
        progress.chunks = try row.decode("chunks")
        progress.chunksCompleted = try row.decode("chunks_completed")
        progress.inputTokens += try row.decode("input_tokens", as: Int.self)
        progress.outputTokens += try row.decode("output_tokens", as: Int.self)
    }

    static func progress(rows: PostgresRows) throws -> BatchProgress {
        var progress = BatchProgress(total: 0, counts: [:], inputTokens: 0, outputTokens: 0, finished: false)
        for row in rows {
            guard let state = JobState(rawValue: try row.decode("state")) else { continue }
            let count: Int = try row.decode("n")
            progress.counts[state] = count
            progress.total += count
            progress.inputTokens += try row.decode("input_tokens", as: Int.self)
            progress.outputTokens += try row.decode("output_tokens", as: Int.self)
        }
        progress.finished = progress.total > 0 && progress.done == progress.total
        return progress
    }

    static func decodeDetail(_ row: PostgresRow) throws -> JobDetail {
        let usage = try Usage.decoded(from: row)
        let state = JobState(rawValue: try row.decode("state")) ?? .queued
        let project: String = try row.decode("project")
        let waiting = JobWait.of(
            state: state, project: project, hold: try ProjectStore.holdDecoded(row), retryingSince: try row.decode("retrying_since"),
            runAt: try row.decode("run_at"), lastError: try row.decode("last_error"),
            budget: try row.decode("budget_block", as: PostgresJSON<BudgetBlock>?.self)?.value.budget,
            batchBudget: try row.decode("batch_budget_block", as: PostgresJSON<BatchBudgetBlock>?.self)?.value.message)
        return JobDetail(
            id: try row.decode("id"), publicID: try row.decode("public_id"), project: project,
            batch: try row.decode("batch"), state: state,
            remoteStatus: try row.decode("remote_status"), model: try row.decode("model"), responseID: try row.decode("response_id"),
            attempt: try row.decode("attempt"), maxAttempts: try row.decode("max_attempts"), pollCount: try row.decode("poll_count"),
            priority: try row.decode("priority"), sourcePath: try row.decode("source_path"),
            metadata: try row.decode("metadata", as: JSONStringObject.self).value,
            createdAt: try row.decode("created_at"), submittedAt: try row.decode("submitted_at"), finishedAt: try row.decode("finished_at"),
            outputText: try row.decode("output_text"), usage: usage, incompleteReason: try row.decode("incomplete_reason"),
            errorCode: try row.decode("error_code"), errorMessage: try row.decode("error_message"), waiting: waiting,
            parent: try row.decode("parent"), serviceTier: try row.decode("service_tier"), servedTier: try row.decode("served_tier"),
            deadline: try row.decode("deadline"), urgent: try row.decode("urgent"))
    }

    /// The progress of each of `parentIDs` that was split (the others are left out).
    public func splitProgress(parentIDs: [Int64]) async throws -> [Int64: SplitProgress] {
        guard !parentIDs.isEmpty else { return [:] }
        let rows = try await pool.query(
            """
            SELECT c.parent_id, (c.chunk->>'level')::int AS level, count(*)::bigint AS jobs,
                   count(*) FILTER (WHERE c.state = 'completed')::bigint AS completed,
                   count(*) FILTER (WHERE c.state IN ('failed', 'incomplete', 'cancelled'))::bigint AS failed,
                   coalesce(sum(r.input_tokens), 0)::bigint AS input_tokens, coalesce(sum(r.cached_tokens), 0)::bigint AS cached_tokens,
                   coalesce(sum(r.output_tokens), 0)::bigint AS output_tokens, coalesce(sum(r.reasoning_tokens), 0)::bigint AS reasoning_tokens,
                   coalesce(sum(r.total_tokens), 0)::bigint AS total_tokens
            FROM jobs c LEFT JOIN results r ON r.job_id = c.id
            WHERE c.parent_id = ANY(\(parentIDs))
            GROUP BY c.parent_id, level ORDER BY c.parent_id, level
            """)
        var progress: [Int64: SplitProgress] = [:]
        for row in rows {
            let parentID: Int64 = try row.decode("parent_id")
            let level = SplitLevel(
                level: try row.decode("level"), jobs: try row.decode("jobs"), completed: try row.decode("completed"),
                failed: try row.decode("failed"),
                usage: try Usage.decoded(from: row) ?? Usage(inputTokens: 0, outputTokens: 0))
            var entry = progress[parentID] ?? SplitProgress(chunks: 0, chunksCompleted: 0, levels: [])
            if level.level == 1 {
                entry.chunks = level.jobs
                entry.chunksCompleted = level.completed
            }
            entry.levels.append(level)
            progress[parentID] = entry
        }
        return progress
    }
}

/// A cap that blocks a queued job's project, as the job query reads it from `longhaul_budget_state`.
struct BudgetBlock: Decodable {
    var period: String
    var max_tokens: Int64?
    var max_cost: Double?
    var spent_tokens: Int64
    var spent_cost: Double
    var reserved_tokens: Int64
    var reserved_cost: Double
    var resets_at: Double?
    var currency: String?

    var budget: ProjectBudget {
        ProjectBudget(
            period: ProjectBudget.Period(rawValue: period) ?? .total, maxTokens: max_tokens, maxCost: max_cost, currency: currency,
            spentTokens: spent_tokens, spentCost: spent_cost, reservedTokens: reserved_tokens, reservedCost: reserved_cost,
            resetsAt: resets_at.map { Date(timeIntervalSince1970: $0) }, blocksNextJob: true)
    }
}

/// The `batch_budget_block` of a job's detail: its batch's cap, which cannot admit the job's worst case.
struct BatchBudgetBlock: Decodable {
    var batch: String
    var budget: BatchBudget
    var worstTokens: Int64
    var worstCost: Double?

    var message: String { budget.message(batch: batch, worstTokens: worstTokens, worstCost: worstCost) }
}
