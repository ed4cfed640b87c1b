import Foundation
import Postgres

extension UsageStore {
    /// The report by model or by day from the roll-up: whole 15-minute buckets inside `[from, to)` below
    /// the watermark that are not stale come from `usage_rollup`; the rest of the period (its
    /// partial first and last buckets, everything from the watermark on, stale buckets) is summed
    /// live with the same `UsageBuckets` select. One statement, so one snapshot: a change that
    /// marks a bucket stale is seen together with the mark.
    func rolledUpReport(
        projectID: Int64?, from: Date?, to: Date?, groupBy: UsageGrouping, batchID: Int64?
    ) async throws -> [UsageRow] {
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 4096, interpolationCount: 8)
        sql.appendLiteral("WITH period AS (SELECT coalesce(")
        sql.appendInterpolation(from)
        sql.appendLiteral("::timestamptz, '-infinity') AS lo, coalesce(")
        sql.appendInterpolation(to)
        sql.appendLiteral("""
            ::timestamptz, 'infinity') AS hi
            ), whole AS (
                -- The first whole bucket of the period, and the end of the last one.
                SELECT CASE WHEN date_bin('15 minutes', lo, timestamptz '2000-01-01 00:00:00+00') = lo THEN lo ELSE date_bin('15 minutes', lo, timestamptz '2000-01-01 00:00:00+00') + interval '15 minutes' END AS lo,
                       date_bin('15 minutes', hi, timestamptz '2000-01-01 00:00:00+00') AS hi
                FROM period
            ), rolled AS (
                -- Buckets in [lo, hi) are answered from the roll-up, but for stale ones.
                SELECT w.lo, greatest(w.lo, least(w.hi, coalesce(s.watermark, '-infinity'))) AS hi
                FROM whole w CROSS JOIN usage_rollup_state s
            ), live AS (
                SELECT p.lo, least(p.hi, r.lo) AS hi FROM period p, rolled r
                UNION ALL
                SELECT greatest(p.lo, r.hi), p.hi FROM period p, rolled r
                UNION ALL
                SELECT s.bucket, s.bucket + interval '15 minutes' FROM usage_rollup_stale s, rolled r WHERE s.bucket >= r.lo AND s.bucket < r.hi
            ), buckets AS (
                SELECT \(UsageBuckets.columns)
                FROM usage_rollup u, rolled r
                WHERE u.bucket >= r.lo AND u.bucket < r.hi AND NOT EXISTS (SELECT 1 FROM usage_rollup_stale s WHERE s.bucket = u.bucket)
            """)
        if let projectID {
            sql.appendLiteral(" AND u.project_id = ")
            sql.appendInterpolation(projectID)
        }
        if let batchID {
            sql.appendLiteral(" AND u.batch_id = ")
            sql.appendInterpolation(batchID)
        }
        sql.appendLiteral(" UNION ALL ")
        UsageBuckets.appendSelect(to: &sql, ranges: "live", projectID: projectID, batchID: batchID)
        sql.appendLiteral("), calls AS (SELECT ")
        switch groupBy {
        case .model: sql.appendLiteral("model")
        case .day: sql.appendLiteral("to_char(bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD')")
        case .tag: throw StoreError.invalid(field: "group_by", message: "the roll-up holds no tags; group by tag is summed over the jobs")
        }
        // Sums per call model and tier first: cost is linear in each bucket's tokens, so pricing
        // the sums is pricing each call (cached input is clamped per call in `priced_cached`).
        sql.appendLiteral("""
             AS grp, call_model, tier, sum(jobs) AS jobs, sum(completed) AS completed, sum(failed) AS failed,
                   sum(incomplete) AS incomplete, sum(cancelled) AS cancelled, sum(calls) AS calls,
                   sum(input_tokens) AS input_tokens, sum(cached_tokens) AS cached_tokens, sum(output_tokens) AS output_tokens,
                   sum(reasoning_tokens) AS reasoning_tokens, sum(priced_uncached) AS priced_uncached, sum(priced_cached) AS priced_cached
                FROM buckets GROUP BY 1, 2, 3
            )
            SELECT c.grp, sum(c.jobs)::bigint AS jobs, sum(c.completed)::bigint AS completed, sum(c.failed)::bigint AS failed,
                   sum(c.incomplete)::bigint AS incomplete, sum(c.cancelled)::bigint AS cancelled,
                   sum(c.input_tokens)::bigint AS input_tokens, sum(c.cached_tokens)::bigint AS cached_tokens,
                   sum(c.output_tokens)::bigint AS output_tokens, sum(c.reasoning_tokens)::bigint AS reasoning_tokens,
                   sum(longhaul_call_cost(c.call_model, c.tier, (c.priced_uncached + c.priced_cached)::bigint, c.priced_cached::bigint,
                                          c.output_tokens::bigint))::float8 AS cost,
                   coalesce(sum(c.calls) FILTER (WHERE mp.model IS NOT NULL), 0)::bigint AS priced,
                   bool_and(mp.model IS NOT NULL OR c.input_tokens + c.output_tokens = 0) AS all_priced,
                   count(DISTINCT mp.currency)::bigint AS currencies, min(mp.currency) AS currency
            FROM calls c
            -- Priced: the model has its (default) price; a flex call without a flex price is charged at it.
            LEFT JOIN model_prices mp ON mp.model = c.call_model AND mp.service_tier = 'default'
            GROUP BY c.grp ORDER BY c.grp
            """)
        let rows = try await pool.query(PostgresQuery(stringInterpolation: sql))
        return try rows.map(UsageRow.init(reportRow:))
    }
}

extension UsageRow {
    /// A report row: `grp`, the counts and token sums, `cost` and what says whether it stands
    /// (`priced` calls > 0, `all_priced`, one of `currencies`).
    init(reportRow row: PostgresRow) throws {
        let priced = try row.decode("priced", as: Int.self) > 0 && row.decode("all_priced", as: Bool.self)
            && row.decode("currencies", as: Int.self) == 1
        self.init(
            group: try row.decode("grp"), jobs: try row.decode("jobs"), completed: try row.decode("completed"),
            failed: try row.decode("failed"), incomplete: try row.decode("incomplete"), cancelled: try row.decode("cancelled"),
            inputTokens: try row.decode("input_tokens"), cachedTokens: try row.decode("cached_tokens"),
            outputTokens: try row.decode("output_tokens"), reasoningTokens: try row.decode("reasoning_tokens"),
            cost: priced ? try row.decode("cost") : nil, currency: priced ? try row.decode("currency") : nil)
    }
}
