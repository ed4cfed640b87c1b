import Foundation
@testable import LonghaulCore
import Postgres
import Testing
import TestSupport

/// A statement that updates jobs it names by id, guarded by their state, reaches them by id even
/// when the statistics are stale: taken while every job was queued, they put the running jobs at
/// one row, and the planner then answered `state = 'running'` from a state's partial index, reading
/// every job in flight for each statement (`RowStateGuard`).
@Suite("Row state guards: jobs named by id are found by id, whatever the statistics say")
struct RowStateGuardTests {
    static let stateIndexes = ["jobs_in_flight", "jobs_leased", "jobs_poll_due", "jobs_queued_by_kind"]

    @Test func theGuardTextForOneStateAndForSeveral() {
        #expect(RowStateGuard.sql("j", .running) == "j.state::text = 'running'")
        #expect(RowStateGuard.sql("", .submitting, .running) == "state::text IN ('submitting', 'running')")
        #expect(RowStateGuard.sql("j", .waitingForChildren) == "j.state::text = 'waiting_for_children'")
    }

    @Test func aGuardedUpdateFindsItsRowsByPrimaryKeyUnderStaleStatistics() async throws {
        try await StoreFixture.with("row_state_guard", maxConnections: 1) { fixture in
            let project = try await fixture.project("guard")
            try await fixture.enqueue(600, into: project)
            try await fixture.pool.query("ANALYZE jobs")  // every job queued
            try await fixture.pool.query("""
                UPDATE jobs SET state = 'running', response_id = 'resp_' || id, submitted_at = now(), next_poll_at = now()
                WHERE id IN (SELECT id FROM jobs ORDER BY id LIMIT 400)
                """)

            let guarded = try await Self.genericPlan(guard: RowStateGuard.sql("j", .running), fixture)
            #expect(guarded.contains("jobs_pkey"), "\(guarded)")
            #expect(!Self.stateIndexes.contains { guarded.contains($0) }, "\(guarded)")

            // The same statement guarded as it was: the planner takes a state's index instead,
            // which is what the guard's form prevents (and what makes this test able to fail).
            let unguarded = try await Self.genericPlan(guard: "j.state = 'running'", fixture)
            #expect(Self.stateIndexes.contains { unguarded.contains($0) }, "\(unguarded)")
        }
    }

    /// The generic plan (the one a prepared statement keeps) of an update shaped like the
    /// finalizer's and the accept's: a recordset of ids joined to `jobs`, then `guard`. Without
    /// sequential scans, which a table this small would get: the question is which index.
    static func genericPlan(guard condition: String, _ fixture: StoreFixture) async throws -> String {
        try await fixture.pool.transaction { connection in
            try await connection.query("SET LOCAL plan_cache_mode = force_generic_plan")
            try await connection.query("SET LOCAL enable_seqscan = off")
            try await connection.query(PostgresQuery(unsafeSQL: """
                PREPARE guarded_update (jsonb) AS
                UPDATE jobs j SET updated_at = now()
                FROM jsonb_to_recordset($1) AS u(job_id bigint)
                WHERE j.id = u.job_id AND \(condition)
                """))
            let plan = try await connection.query(PostgresQuery(unsafeSQL: #"EXPLAIN EXECUTE guarded_update('[{"job_id": 1}]')"#))
            try await connection.query("DEALLOCATE guarded_update")
            return try plan.map { try $0.decode("QUERY PLAN", as: String.self) }.joined(separator: "\n")
        }
    }
}
