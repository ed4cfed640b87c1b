import Postgres

extension UsageStore {
    /// What a plan for `project` needs besides the documents: prices, and the output ÷ input
    /// ratio and mean call length of the project's last 2,000 completed calls per model (recent
    /// work predicts best; 2,000 keeps the look cheap on a big table).
    public func planFacts(for project: Project) async throws -> PlanFacts {
        let rows = try await pool.query("""
            SELECT model, sum(output_tokens)::float8 / nullif(sum(input_tokens), 0)::float8 AS ratio,
                   avg(seconds)::float8 AS seconds
            FROM (
                SELECT j.model, r.input_tokens, r.output_tokens, extract(epoch FROM j.finished_at - j.submitted_at) AS seconds,
                       row_number() OVER (PARTITION BY j.model ORDER BY j.finished_at DESC) AS recent
                FROM jobs j JOIN results r ON r.job_id = j.id
                WHERE j.project_id = \(project.id) AND j.state = 'completed' AND j.submitted_at IS NOT NULL
                  AND r.input_tokens > 0
                  -- A split job's own row sums its calls and was never submitted: only calls count.
                  AND NOT EXISTS (SELECT 1 FROM jobs c WHERE c.parent_id = j.id)
            ) calls
            WHERE recent <= 2000
            GROUP BY model
            """)
        var facts = PlanFacts(tokensPerMinute: project.tokensPerMinute, maxInFlight: project.maxInFlight)
        for row in rows {
            let model: String = try row.decode("model")
            if let ratio: Double = try row.decode("ratio") { facts.outputRatios[model] = ratio }
            if let seconds: Double = try row.decode("seconds") { facts.callSeconds[model] = seconds }
        }
        let prices = PriceList(try await prices())
        (facts.prices, facts.flexPrices) = (prices.defaults, prices.flex)
        facts.calibrations = try await JobQueue.estimateCalibrations(models: nil, query: pool.query)
        return facts
    }
}

extension JobStore {
    /// Of `keys`, those of `project`'s jobs that exist, with each job: what a resumed run finds
    /// (a plan skips the completed ones; `--retry-failed` runs the failed ones again).
    public func jobs(project: Project, idempotencyKeys keys: [String]) async throws -> [String: EnqueuedJob] {
        guard !keys.isEmpty else { return [:] }
        let rows = try await pool.query("""
            SELECT idempotency_key, id, public_id, state::text AS state FROM jobs
            WHERE project_id = \(project.id) AND idempotency_key = ANY(\(keys))
            """)
        var found: [String: EnqueuedJob] = [:]
        for row in rows {
            found[try row.decode("idempotency_key")] = EnqueuedJob(
                id: try row.decode("id"), publicID: try row.decode("public_id"), created: false,
                state: JobState(rawValue: try row.decode("state")) ?? .queued)
        }
        return found
    }
}
