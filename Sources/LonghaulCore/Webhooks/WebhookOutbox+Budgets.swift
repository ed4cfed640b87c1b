import Postgres

extension WebhookOutbox {
    /// `project.budget_warning` when a cap of one of `projectIDs` is 80 % spent this period, and
    /// `project.budget_reached` when what is left of it (less the calls in flight) cannot admit
    /// the worst case of the project's next queued job — each once per period, marked in the
    /// same statement that announces it.
    func writeBudgetEvents(projectIDs: [Int64], on connection: PostgresConnection) async throws {
        let written = try await connection.query("""
            WITH state AS (
                SELECT s.*, s.blocks_next_job AS blocked, s.spent_share AS share,
                       s.warned_for IS DISTINCT FROM s.period_start AS may_warn,
                       s.reached_for IS DISTINCT FROM s.period_start AS may_reach
                FROM longhaul_budget_state s
                WHERE s.project_id = ANY (\(projectIDs)) AND s.period_start = longhaul_period_start(s.period)
            ), due AS (
                SELECT s.*, CASE WHEN s.blocked AND s.may_reach THEN 'project.budget_reached' ELSE 'project.budget_warning' END AS type
                FROM state s
                WHERE (s.blocked AND s.may_reach) OR (s.share >= 0.8 AND s.may_warn AND NOT s.blocked)
            ), marked AS (
                UPDATE project_budgets b
                SET warned_for = b.period_start, reached_for = CASE WHEN d.type = 'project.budget_reached' THEN b.period_start ELSE b.reached_for END
                FROM due d WHERE b.project_id = d.project_id AND b.period = d.period
            )
            INSERT INTO deliveries (project_id, endpoint_id, url, event_type, body)
            SELECT p.id, e.id, e.url, d.type,
                   jsonb_build_object(
                       'type', d.type,
                       'timestamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                       'data', jsonb_build_object(
                           'id', p.slug, 'object', 'budget', 'period', d.period,
                           'max_tokens', d.max_tokens, 'max_cost', d.max_cost, 'spent_tokens', d.spent_tokens, 'spent_cost', d.spent_cost,
                           'resets_at', to_char(d.resets_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                           'project_url', \(publicBaseURL) || '/v1/projects/' || p.slug || '/budgets'))::text
            FROM due d
            JOIN projects p ON p.id = d.project_id
            JOIN webhook_endpoints e ON e.project_id = p.id AND e.enabled
                                    AND (cardinality(e.event_types) = 0 OR d.type = ANY (e.event_types))
            """)
        if written.affectedRows > 0 {
            try notifications.notify(QueueChannel.deliveries, on: connection)
        }
    }
}
