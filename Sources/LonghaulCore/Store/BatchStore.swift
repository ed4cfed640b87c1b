import Foundation
public import Postgres

/// Batches: many jobs enqueued and followed as one, what `POST /v1/batches` and `longhaul batch`
/// use. Its jobs are ordinary jobs of the `JobStore`.
public struct BatchStore: Sendable {
    public let pool: PostgresPool
    let jobs: JobStore

    public init(pool: PostgresPool, jobs: JobStore) {
        self.pool = pool
        self.jobs = jobs
    }

    /// Creates a batch and enqueues its jobs in one transaction: the batch is stored whole or not
    /// at all (the API's `POST /v1/batches`). With `budget`, its jobs run only while their worst
    /// case fits what is left of it.
    public func enqueueBatch(
        _ validated: [ValidatedJob], project: Project, name: String, source: String?, webhookURL: String?, budget: BatchBudgetCap? = nil
    ) async throws -> (batch: BatchRecord, jobs: [EnqueuedJob]) {
        guard project.isActive else {
            throw StoreError.conflict("project '\(project.slug)' is archived; it accepts no new jobs")
        }
        let budget = try budget?.validated()
        return try await pool.retryingSerializationFailures {
            try await pool.transaction { connection in
                let publicID = PublicID.make("batch")
                let rows = try await connection.query("""
                    INSERT INTO batches (public_id, project_id, name, source, webhook_url, budget_max_tokens, budget_max_cost)
                    VALUES (\(publicID), \(project.id), \(name), \(source), \(webhookURL), \(budget?.maxTokens), \(budget?.maxCost)::numeric)
                    RETURNING id
                    """)
                let batch = BatchRecord(id: try rows.first.orThrow("batch insert").decode("id"), publicID: publicID, name: name)
                let enqueued = try await jobs.enqueue(validated, project: project, batchID: batch.id, on: connection)
                return (batch, enqueued)
            }
        }
    }

    /// The batch named `name` from `source` in this project, created if there is none: running the
    /// same folder again resumes its batch instead of starting another.
    public func findOrCreateBatch(project: Project, name: String, source: String, webhookURL: String?) async throws -> BatchRecord {
        let rows = try await pool.query("""
            SELECT id, public_id, name FROM batches
            WHERE project_id = \(project.id) AND name = \(name) AND source = \(source)
            ORDER BY id DESC LIMIT 1
            """)
        if let row = rows.first {
            return BatchRecord(id: try row.decode("id"), publicID: try row.decode("public_id"), name: try row.decode("name"))
        }
        return try await createBatch(project: project, name: name, source: source, webhookURL: webhookURL)
    }

    /// Creates an empty batch to enqueue into.
    public func createBatch(project: Project, name: String, source: String?, webhookURL: String?) async throws -> BatchRecord {
        let publicID = PublicID.make("batch")
        let rows = try await pool.query("""
            INSERT INTO batches (public_id, project_id, name, source, webhook_url)
            VALUES (\(publicID), \(project.id), \(name), \(source), \(webhookURL))
            RETURNING id
            """)
        return BatchRecord(id: try rows.first.orThrow("batch insert").decode("id"), publicID: publicID, name: name)
    }

    /// Sets (or, with nil, removes) the cap of batch `publicID` as `projectID` sees it (nil: any
    /// project); raising it lets its waiting jobs run at once.
    ///
    /// A cap covers the batch's whole life, also when it is set on a batch that already ran: its
    /// first cap starts from what the batch's finished calls spent (priced as `JobFinalizer`
    /// prices an ending), and its calls in flight are marked to settle against it when they end.
    /// The batch's row is locked first, so an ending that settles against the batch waits for
    /// this commit and is counted once: by the sum if it committed before, by its own settling after.
    public func setBudget(batchPublicID publicID: String, projectID: Int64?, _ budget: BatchBudgetCap?) async throws {
        let budget = try budget?.validated()
        try await pool.transaction { connection in
            let rows = try await connection.query("""
                SELECT id, budget_max_tokens IS NOT NULL OR budget_max_cost IS NOT NULL AS capped FROM batches
                WHERE public_id = \(publicID) AND (\(projectID)::bigint IS NULL OR project_id = \(projectID))
                FOR UPDATE
                """)
            guard let row = rows.first else { throw StoreError.notFound("batch \(publicID)") }
            let id: Int64 = try row.decode("id")
            if budget != nil, try !row.decode("capped", as: Bool.self) {
                // The batch's calls: its jobs', and their map and merge calls' (which carry no batch).
                try await connection.query("""
                    UPDATE jobs SET budget_batch_id = \(id)
                    WHERE state IN ('submitting', 'running') AND budget_batch_id IS NULL
                      AND (batch_id = \(id) OR parent_id IN (SELECT p.id FROM jobs p WHERE p.batch_id = \(id)))
                    """)
                try await connection.query("""
                    UPDATE batches SET spent_tokens = s.tokens, spent_cost = s.cost
                    FROM (SELECT coalesce(sum(coalesce(r.input_tokens, 0) + coalesce(r.output_tokens, 0)), 0)::bigint AS tokens,
                                 coalesce(sum(coalesce(longhaul_call_cost(
                                     j.model, longhaul_priced_tier(r.response->>'service_tier', j.params->>'service_tier'),
                                     coalesce(r.input_tokens, 0), coalesce(r.cached_tokens, 0), coalesce(r.output_tokens, 0)), 0)), 0) AS cost
                          FROM jobs j \(unescaped: JobStore.resultByKey)
                          WHERE j.submitted_at IS NOT NULL AND j.finished_at IS NOT NULL
                            AND (j.batch_id = \(id) OR j.parent_id IN (SELECT p.id FROM jobs p WHERE p.batch_id = \(id)))) s
                    WHERE batches.id = \(id)
                    """)
            }
            try await connection.query("""
                UPDATE batches SET budget_max_tokens = \(budget?.maxTokens), budget_max_cost = \(budget?.maxCost)::numeric WHERE id = \(id)
                """)
            try await connection.query("SELECT pg_notify(\(QueueChannel.jobs), '')")
        }
    }

    /// How many of the batch's jobs are not yet terminal, from its own row (one row, whatever the
    /// batch's size; the finalizer counts each ended job off it). Nil: no such batch.
    public func pendingJobs(batchID: Int64) async throws -> Int? {
        try await pool.query("SELECT pending_jobs FROM batches WHERE id = \(batchID)").first?.decode("pending_jobs")
    }

    /// Counts by state and tokens so far for a batch.
    public func progress(batchID: Int64) async throws -> BatchProgress {
        try JobStore.progress(rows: try await pool.query("""
            SELECT j.state::text AS state, count(*)::bigint AS n,
                   coalesce(sum(r.input_tokens), 0)::bigint AS input_tokens, coalesce(sum(r.output_tokens), 0)::bigint AS output_tokens
            FROM jobs j \(unescaped: JobStore.resultByKey) WHERE j.batch_id = \(batchID) GROUP BY j.state
            """))
    }


    /// The batch `publicID` as `projectID` sees it (nil: any project); `StoreError.notFound`
    /// when it does not exist or belongs to another project.
    public func batch(publicID: String, projectID: Int64?) async throws -> BatchSummary {
        let rows = try await pool.query("""
            SELECT b.id, b.public_id, p.slug AS project, b.name, b.source, b.webhook_url, b.total_jobs, b.pending_jobs,
                   b.created_at, b.finished_at, s.counts, s.input_tokens, s.cached_tokens, s.output_tokens, s.reasoning_tokens,
                   s.total_tokens, c.max_tokens AS budget_max_tokens, c.max_cost::float8 AS budget_max_cost,
                   c.spent_tokens AS budget_spent_tokens, c.spent_cost::float8 AS budget_spent_cost,
                   c.reserved_tokens AS budget_reserved_tokens, c.reserved_cost::float8 AS budget_reserved_cost,
                   CASE WHEN c.batch_id IS NOT NULL THEN (SELECT min(currency) FROM model_prices HAVING count(DISTINCT currency) = 1) END
                       AS budget_currency
            FROM batches b JOIN projects p ON p.id = b.project_id
            LEFT JOIN longhaul_batch_budget_state c ON c.batch_id = b.id
            CROSS JOIN LATERAL (
                SELECT coalesce(jsonb_object_agg(c.state, c.n), '{}') AS counts, coalesce(sum(c.input), 0)::bigint AS input_tokens,
                       coalesce(sum(c.cached), 0)::bigint AS cached_tokens, coalesce(sum(c.output), 0)::bigint AS output_tokens,
                       coalesce(sum(c.reasoning), 0)::bigint AS reasoning_tokens, coalesce(sum(c.total), 0)::bigint AS total_tokens
                FROM (
                    SELECT j.state::text AS state, count(*) AS n, sum(r.input_tokens) AS input, sum(r.cached_tokens) AS cached,
                           sum(r.output_tokens) AS output, sum(r.reasoning_tokens) AS reasoning, sum(r.total_tokens) AS total
                    FROM jobs j \(unescaped: JobStore.resultByKey)
                    WHERE j.batch_id = b.id
                    GROUP BY j.state
                ) c
            ) s
            WHERE b.public_id = \(publicID) AND (\(projectID)::bigint IS NULL OR b.project_id = \(projectID))
            """)
        guard let row = rows.first else { throw StoreError.notFound("batch \(publicID)") }
        let stored = try row.decode("counts", as: PostgresJSON<[String: Int]>.self).value
        var counts: [String: Int] = [:]
        for state in JobState.allCases { counts[state.rawValue] = stored[state.rawValue] ?? 0 }
        let finishedAt: Date? = try row.decode("finished_at")
        let total: Int = try row.decode("total_jobs")
        let pending: Int = try row.decode("pending_jobs")
        return BatchSummary(
            id: try row.decode("id"), publicID: try row.decode("public_id"), project: try row.decode("project"),
            name: try row.decode("name"), source: try row.decode("source"), webhookURL: try row.decode("webhook_url"),
            totalJobs: total, counts: counts,
            usage: Usage(
                inputTokens: try row.decode("input_tokens"), cachedTokens: try row.decode("cached_tokens"),
                outputTokens: try row.decode("output_tokens"), reasoningTokens: try row.decode("reasoning_tokens"),
                totalTokens: try row.decode("total_tokens")),
            createdAt: try row.decode("created_at"), finishedAt: finishedAt,
            finished: finishedAt != nil || (total > 0 && pending == 0), budget: try Self.budget(row))
    }

    /// The batch's cap and where it stands, from the `budget_*` columns of `batch(publicID:projectID:)`.
    static func budget(_ row: PostgresRow) throws -> BatchBudget? {
        guard let spentTokens = try row.decode("budget_spent_tokens", as: Int64?.self) else { return nil }
        return BatchBudget(
            maxTokens: try row.decode("budget_max_tokens"), maxCost: try row.decode("budget_max_cost"), currency: try row.decode("budget_currency"),
            spentTokens: spentTokens, spentCost: try row.decode("budget_spent_cost"), reservedTokens: try row.decode("budget_reserved_tokens"),
            reservedCost: try row.decode("budget_reserved_cost"))
    }
}
