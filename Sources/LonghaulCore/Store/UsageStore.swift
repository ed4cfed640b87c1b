public import Foundation
public import Postgres

/// Usage reports over finished jobs, and the model prices that turn tokens into cost: those
/// Longhaul ships (`shipped_prices`) and the operator's (`operator_prices`), which win.
public struct UsageStore: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Terminal jobs of `projectID` (nil: every project) whose `finished_at` is in `[from, to)`,
    /// grouped by `groupBy`, in group order. `tag:KEY` takes the job's `metadata[KEY]`, else its
    /// project's `tags[KEY]`, else `(none)`. With `batchID`, only that batch's jobs (its page's
    /// cost by model).
    ///
    /// Cost is `(input − cached) × input price + cached × (cached price ?? input price) +
    /// output × output price`, per million (`longhaul_call_cost`), per call at the model of the
    /// call; reasoning tokens are part of output and not added again.
    ///
    /// By model or by day the sums come from the roll-up (`usage_rollup`, kept by the Maintainer)
    /// plus a live sum of what it does not hold yet; by tag (any key) they are computed over the jobs.
    public func report(
        projectID: Int64?, from: Date?, to: Date?, groupBy: UsageGrouping, batchID: Int64? = nil
    ) async throws -> [UsageRow] {
        if let from, let to, from >= to {
            throw StoreError.invalid(field: "to", message: "the end of the period must come after its start")
        }
        if case .tag = groupBy {
            return try await directReport(projectID: projectID, from: from, to: to, groupBy: groupBy, batchID: batchID)
        }
        return try await rolledUpReport(projectID: projectID, from: from, to: to, groupBy: groupBy, batchID: batchID)
    }

    /// The report summed over the jobs themselves, call by call: the tag grouping's way, and what
    /// the roll-up's answers are checked against.
    func directReport(
        projectID: Int64?, from: Date?, to: Date?, groupBy: UsageGrouping, batchID: Int64? = nil
    ) async throws -> [UsageRow] {
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 2048, interpolationCount: 6)
        sql.appendLiteral("SELECT ")
        switch groupBy {
        case .model:
            sql.appendLiteral("j.model")
        case .day:
            sql.appendLiteral("to_char(j.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')")
        case .tag(let key):
            sql.appendLiteral("coalesce(nullif(j.metadata ->> ")
            sql.appendInterpolation(key)
            sql.appendLiteral("::text, ''), nullif(p.tags ->> ")
            sql.appendInterpolation(key)
            sql.appendLiteral("::text, ''), '(none)')")
        }
        // Tokens and cost are summed over calls: a job's own, or — for a split job — each of its
        // map and merge calls at its own model's price (the map step may use a cheaper model).
        // Jobs are counted once however many calls they made.
        sql.appendLiteral("""
             AS grp,
                count(DISTINCT j.id)::bigint AS jobs,
                count(DISTINCT j.id) FILTER (WHERE j.state = 'completed')::bigint AS completed,
                count(DISTINCT j.id) FILTER (WHERE j.state = 'failed')::bigint AS failed,
                count(DISTINCT j.id) FILTER (WHERE j.state = 'incomplete')::bigint AS incomplete,
                count(DISTINCT j.id) FILTER (WHERE j.state = 'cancelled')::bigint AS cancelled,
                coalesce(sum(k.input_tokens), 0)::bigint AS input_tokens,
                coalesce(sum(k.cached_tokens), 0)::bigint AS cached_tokens,
                coalesce(sum(k.output_tokens), 0)::bigint AS output_tokens,
                coalesce(sum(k.reasoning_tokens), 0)::bigint AS reasoning_tokens,
                sum(longhaul_call_cost(k.model, k.tier, coalesce(k.input_tokens, 0), coalesce(k.cached_tokens, 0), coalesce(k.output_tokens, 0)))::float8 AS cost,
                count(mp.model)::bigint AS priced,
                bool_and(mp.model IS NOT NULL OR coalesce(k.input_tokens, 0) + coalesce(k.output_tokens, 0) = 0) AS all_priced,
                count(DISTINCT mp.currency)::bigint AS currencies,
                min(mp.currency) AS currency
            FROM jobs j
            JOIN projects p ON p.id = j.project_id
            LEFT JOIN results r ON r.job_id = j.id
            \(UsageBuckets.jobCalls)
            -- Priced: the model has its (default) price; a flex call without a flex price is charged at it.
            LEFT JOIN model_prices mp ON mp.model = k.model AND mp.service_tier = 'default'
            WHERE j.finished_at IS NOT NULL
              -- Map and merge calls are counted with the job they belong to, not again on their own.
              AND j.parent_id IS NULL
            """)
        UsageBuckets.appendScope(to: &sql, projectID: projectID, batchID: batchID)
        if let from {
            sql.appendLiteral(" AND j.finished_at >= ")
            sql.appendInterpolation(from)
        }
        if let to {
            sql.appendLiteral(" AND j.finished_at < ")
            sql.appendInterpolation(to)
        }
        sql.appendLiteral(" GROUP BY 1 ORDER BY 1")
        let rows = try await pool.query(PostgresQuery(stringInterpolation: sql))
        return try rows.map(UsageRow.init(reportRow:))
    }

    /// Sets (or replaces) the operator's price of a model on a tier, over any price Longhaul ships
    /// for it. A `flex` price overrides the model's default price (the operator's or the shipped
    /// one) for flex calls, so it needs that price first, in the same currency.
    public func setPrice(_ price: ModelPrice) async throws {
        guard ModelPrice.tiers.contains(price.serviceTier) else {
            throw StoreError.invalid(field: "service_tier", message: "a price is for the default or the flex tier (got '\(price.serviceTier)')")
        }
        guard !price.model.isEmpty, price.model.count <= 200 else {
            throw StoreError.invalid(field: "model", message: "give the model id as jobs record it, e.g. openai.gpt-oss-120b")
        }
        for (field, value) in [("input_per_million", price.inputPerMillion), ("output_per_million", price.outputPerMillion),
                               ("cached_input_per_million", price.cachedInputPerMillion ?? 0)]
        where !value.isFinite || value < 0 || value >= 1_000_000 {
            throw StoreError.invalid(field: field, message: "a price per million tokens is a number from 0 to 999999.999999")
        }
        guard price.currency.utf8.count == 3, price.currency.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
            throw StoreError.invalid(field: "currency", message: "a currency is a three-letter ISO 4217 code such as USD or EUR")
        }
        if price.serviceTier != "default" {
            let base = try await pool.query("SELECT currency FROM model_prices WHERE model = \(price.model) AND service_tier = 'default'")
            guard let currency = try base.first?.decode("currency", as: String.self) else {
                throw StoreError.invalid(
                    field: "service_tier",
                    message: "\(price.model) has no default price yet; set it first (`longhaul usage prices set \(price.model) --input … --output …`)")
            }
            guard currency == price.currency else {
                throw StoreError.invalid(
                    field: "currency", message: "\(price.model)'s default price is in \(currency); give its \(price.serviceTier) price in \(currency) too")
            }
        }
        try await pool.query("""
            INSERT INTO operator_prices (model, service_tier, input_per_million, cached_input_per_million, output_per_million, currency)
            VALUES (\(price.model), \(price.serviceTier), \(price.inputPerMillion), \(price.cachedInputPerMillion), \(price.outputPerMillion),
                    \(price.currency))
            ON CONFLICT (model, service_tier) DO UPDATE SET input_per_million = excluded.input_per_million,
                cached_input_per_million = excluded.cached_input_per_million,
                output_per_million = excluded.output_per_million, currency = excluded.currency
            """)
    }

    /// Removes the operator's price of `model` on `tier`; the price Longhaul ships for it, if any,
    /// applies again. False when the operator had set none. The model's default price stays while
    /// the operator's flex price leans on it: a flex price needs a default one in its currency.
    @discardableResult
    public func deletePrice(model: String, tier: String = "default") async throws -> Bool {
        guard ModelPrice.tiers.contains(tier) else {
            throw StoreError.invalid(field: "service_tier", message: "a price is for the default or the flex tier (got '\(tier)')")
        }
        if tier == "default" {
            let rows = try await pool.query("""
                SELECT f.currency AS flex, s.currency AS shipped
                FROM operator_prices f
                LEFT JOIN shipped_prices s ON s.model = f.model AND s.service_tier = 'default'
                WHERE f.model = \(model) AND f.service_tier = 'flex'
                  AND EXISTS (SELECT 1 FROM operator_prices d WHERE d.model = f.model AND d.service_tier = 'default')
                """)
            if let row = rows.first {
                let flex: String = try row.decode("flex")
                if try row.decode("shipped", as: String?.self) != flex {
                    throw StoreError.invalid(
                        field: "service_tier",
                        message: "\(model)'s flex price leans on its default price; delete the flex price first "
                            + "(`longhaul usage prices delete \(model) --tier flex`)")
                }
            }
        }
        let deleted = try await pool.query(
            "DELETE FROM operator_prices WHERE model = \(model) AND service_tier = \(tier) RETURNING model")
        return !deleted.isEmpty
    }

    /// Every model price in effect — the operator's, and those Longhaul ships that no operator
    /// price replaces — by model id, the default tier first.
    public func prices() async throws -> [ModelPrice] {
        let rows = try await pool.query("""
            SELECT model, service_tier, input_per_million::float8 AS input, cached_input_per_million::float8 AS cached,
                   output_per_million::float8 AS output, currency, source
            FROM model_prices ORDER BY model, service_tier = 'default' DESC, service_tier
            """)
        return try rows.map { row in
            ModelPrice(
                model: try row.decode("model"), inputPerMillion: try row.decode("input"), cachedInputPerMillion: try row.decode("cached"),
                outputPerMillion: try row.decode("output"), currency: try row.decode("currency"), serviceTier: try row.decode("service_tier"),
                source: try row.decode("source"))
        }
    }
}
