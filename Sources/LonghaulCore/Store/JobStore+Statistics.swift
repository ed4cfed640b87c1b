import Postgres

extension JobStore {
    /// The hot tables whose statistics steer the plans of enqueue, claim and finalize.
    static let analyzedTables = ["documents", "jobs", "results", "attempts", "batches", "deliveries", "delivery_attempts"]

    /// ANALYZEs the hot tables that changed a lot since PostgreSQL last analyzed them, and
    /// returns their names.
    ///
    /// Statements are prepared per connection, and PostgreSQL keeps a generic plan chosen while a
    /// table was nearly empty — a sequential scan — until the table is analyzed. On a young
    /// database taking a fast stream of jobs that made enqueue scan every stored document
    /// (`POST /v1/jobs` fell from ~1,150 to ~300 requests/s) until autovacuum came round, which
    /// can take minutes; the maintainer's pass gets there within seconds.
    public func analyzeGrowingTables(minimumChanges: Int = 5_000) async throws -> [String] {
        let rows = try await pool.query("""
            SELECT s.relname::text AS name FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
            WHERE s.schemaname = current_schema() AND s.relname::text = ANY(\(Self.analyzedTables))
              AND s.n_mod_since_analyze > greatest(\(minimumChanges), 0.2 * c.reltuples)
            """)
        var analyzed: [String] = []
        for row in rows {
            let name: String = try row.decode("name")
            // Only names from the fixed list reach the statement.
            guard Self.analyzedTables.contains(name) else { continue }
            try await pool.query(PostgresQuery(unsafeSQL: "ANALYZE \(name)"))
            analyzed.append(name)
        }
        return analyzed
    }
}
