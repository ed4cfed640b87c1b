public import Postgres

/// Spending caps per project: set, read with what is spent and reserved, and cleared.
public struct BudgetStore: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Sets (or replaces) `projectID`'s cap for `period`; what the period spent so far is kept.
    public func set(projectID: Int64, period: ProjectBudget.Period, maxTokens: Int64?, maxCost: Double?) async throws {
        guard maxTokens != nil || maxCost != nil else {
            throw StoreError.invalid(field: "max_cost", message: "give a cap: max_cost (money at the model prices) or max_tokens, or both")
        }
        if let maxTokens, maxTokens < 0 { throw StoreError.invalid(field: "max_tokens", message: "a cap is 0 or more tokens") }
        if let maxCost, !maxCost.isFinite || maxCost < 0 || maxCost >= 1e12 {
            throw StoreError.invalid(field: "max_cost", message: "a cap in money is a number from 0 to 999999999999")
        }
        try await pool.query("""
            INSERT INTO project_budgets (project_id, period, max_tokens, max_cost, period_start)
            VALUES (\(projectID), \(period.rawValue), \(maxTokens), \(maxCost)::numeric, longhaul_period_start(\(period.rawValue)))
            ON CONFLICT (project_id, period) DO UPDATE SET max_tokens = excluded.max_tokens, max_cost = excluded.max_cost,
                -- A raised cap may be reached again, and says so again.
                reached_for = NULL, warned_for = NULL, updated_at = now()
            """)
        // Raising a cap lets waiting jobs run now.
        try await pool.query("SELECT pg_notify(\(QueueChannel.jobs), '')")
    }

    /// Removes `projectID`'s cap for `period`; false when there was none.
    public func clear(projectID: Int64, period: ProjectBudget.Period) async throws -> Bool {
        let deleted = try await pool.query("DELETE FROM project_budgets WHERE project_id = \(projectID) AND period = \(period.rawValue)")
        try await pool.query("SELECT pg_notify(\(QueueChannel.jobs), '')")
        return deleted.affectedRows > 0
    }

    /// `projectID`'s caps with what this period spent and what calls in flight reserve.
    public func budgets(projectID: Int64) async throws -> [ProjectBudget] {
        try await read(projectID: projectID).map(\.budget)
    }

    /// Every project's caps, by project slug: what the metrics show.
    public func allBudgets() async throws -> [(project: String, budget: ProjectBudget)] {
        try await read(projectID: nil)
    }

    private func read(projectID: Int64?) async throws -> [(project: String, budget: ProjectBudget)] {
        let rows = try await pool.query("""
            SELECT p.slug, period, max_tokens, max_cost::float8 AS max_cost, spent_tokens, spent_cost::float8 AS spent_cost,
                   reserved_tokens, reserved_cost::float8 AS reserved_cost, resets_at, blocks_next_job,
                   (SELECT min(currency) FROM model_prices HAVING count(DISTINCT currency) = 1) AS currency
            FROM longhaul_budget_state s JOIN projects p ON p.id = s.project_id
            WHERE \(projectID)::bigint IS NULL OR s.project_id = \(projectID)
            ORDER BY p.slug, CASE period WHEN 'day' THEN 1 WHEN 'month' THEN 2 ELSE 3 END
            """)
        return try rows.map { row in
            let budget = ProjectBudget(
                period: ProjectBudget.Period(rawValue: try row.decode("period")) ?? .total, maxTokens: try row.decode("max_tokens"),
                maxCost: try row.decode("max_cost"), currency: try row.decode("currency"), spentTokens: try row.decode("spent_tokens"),
                spentCost: try row.decode("spent_cost"), reservedTokens: try row.decode("reserved_tokens"),
                reservedCost: try row.decode("reserved_cost"), resetsAt: try row.decode("resets_at"),
                blocksNextJob: try row.decode("blocks_next_job"))
            return (try row.decode("slug"), budget)
        }
    }
}
