import Postgres

/// The one summing of finished jobs' calls into `usage_rollup`'s rows (migration 0018): the
/// Maintainer stores it per 15 minutes, and a report runs it live over what the roll-up does not hold,
/// so both count exactly alike.
enum UsageBuckets {
    /// Appends a SELECT of `usage_rollup`'s columns over the top-level jobs that finished inside
    /// the ranges of the relation `ranges` (columns `lo`, `hi`: `[lo, hi)`, disjoint), of
    /// `projectID` and `batchID` when given.
    static func appendSelect(
        to sql: inout PostgresQuery.StringInterpolation, ranges: String, projectID: Int64?, batchID: Int64?
    ) {
        sql.appendLiteral("""
            SELECT date_bin('15 minutes', j.finished_at, timestamptz '2000-01-01 00:00:00+00') AS bucket, j.project_id, j.batch_id, j.model,
                   coalesce(k.model, '') AS call_model, coalesce(k.tier, '') AS tier,
                   count(*) FILTER (WHERE k.n IS NULL OR k.n = 1) AS jobs,
                   count(*) FILTER (WHERE (k.n IS NULL OR k.n = 1) AND j.state = 'completed') AS completed,
                   count(*) FILTER (WHERE (k.n IS NULL OR k.n = 1) AND j.state = 'failed') AS failed,
                   count(*) FILTER (WHERE (k.n IS NULL OR k.n = 1) AND j.state = 'incomplete') AS incomplete,
                   count(*) FILTER (WHERE (k.n IS NULL OR k.n = 1) AND j.state = 'cancelled') AS cancelled,
                   count(k.model) AS calls,
                   coalesce(sum(k.input_tokens), 0) AS input_tokens, coalesce(sum(k.cached_tokens), 0) AS cached_tokens,
                   coalesce(sum(k.output_tokens), 0) AS output_tokens, coalesce(sum(k.reasoning_tokens), 0) AS reasoning_tokens,
                   coalesce(sum(greatest(coalesce(k.input_tokens, 0) - coalesce(k.cached_tokens, 0), 0)), 0) AS priced_uncached,
                   coalesce(sum(least(coalesce(k.cached_tokens, 0), coalesce(k.input_tokens, 0))), 0) AS priced_cached
            FROM \(ranges) rg
            JOIN jobs j ON j.finished_at >= rg.lo AND j.finished_at < rg.hi
            LEFT JOIN results r ON r.job_id = j.id
            \(jobCalls)
            -- Map and merge calls are counted with the job they belong to, not again on their own.
            WHERE j.parent_id IS NULL
            """)
        appendScope(to: &sql, projectID: projectID, batchID: batchID)
        sql.appendLiteral(" GROUP BY 1, 2, 3, 4, 5, 6")
    }

    /// Narrows a query over jobs `j` to a project and a batch, when given.
    static func appendScope(to sql: inout PostgresQuery.StringInterpolation, projectID: Int64?, batchID: Int64?) {
        if let projectID {
            sql.appendLiteral(" AND j.project_id = ")
            sql.appendInterpolation(projectID)
        }
        if let batchID {
            sql.appendLiteral(" AND j.batch_id = ")
            sql.appendInterpolation(batchID)
        }
    }

    /// A job's calls, as the lateral relation `k` (model, tier, tokens, and `n` numbering them from
    /// 1), joined to a job `j` and its result `r`: the one definition of what a job was billed for.
    static let jobCalls = """
        -- A job's calls: its own, or — for a split job — each of its map and merge calls at
        -- its own model's price (the map step may use a cheaper model); its own result then
        -- holds their sum. Only a job whose strategy split it has children, so for any other
        -- the index is not touched. `n` = 1 on one call per job, which counts the job.
        LEFT JOIN LATERAL (
            SELECT x.*, row_number() OVER () AS n FROM (
                SELECT c.model, longhaul_priced_tier(cr.response->>'service_tier', c.params->>'service_tier') AS tier,
                       cr.input_tokens, cr.cached_tokens, cr.output_tokens, cr.reasoning_tokens
                FROM jobs c JOIN results cr ON cr.job_id = c.id
                WHERE c.parent_id = j.id AND j.params->>'strategy' IN ('auto', 'map_reduce')
                UNION ALL
                SELECT j.model, longhaul_priced_tier(r.response->>'service_tier', j.params->>'service_tier'),
                       r.input_tokens, r.cached_tokens, r.output_tokens, r.reasoning_tokens
                WHERE coalesce(j.params->>'strategy' NOT IN ('auto', 'map_reduce'), true)
            ) x
        ) k ON true
        """

    /// `usage_rollup`'s columns, in `appendSelect`'s order.
    static let columns = """
        bucket, project_id, batch_id, model, call_model, tier, jobs, completed, failed, incomplete, cancelled, calls,
        input_tokens, cached_tokens, output_tokens, reasoning_tokens, priced_uncached, priced_cached
        """
}
