import Foundation
import LonghaulCore
import Postgres
import TestSupport
import Testing

/// The dashboard's "cancel everything matching", stopped midway and taken over.
@Suite("Bulk actions: stopped mid-step, taken over by the Maintainer, every job acted on exactly once")
struct BulkActionsTests {
    @Test("a runner whose connection dies mid-step loses only that step; the Maintainer finishes the rest, once per job")
    func resumedAfterACrash() async throws {
        try await StoreFixture.with("bulk_resume") { fixture in
            let project = try await fixture.project("bulk")
            let jobs = try await fixture.enqueue(60, into: project)
            let bulk = BulkActions(pool: fixture.pool, jobs: fixture.store)
            let action = try await bulk.create(.cancel, filters: "state=queued", jobIDs: jobs.map(\.publicID), projectID: project.id)

            // The second step blocks on job 30, which another session holds; then the runner's
            // database session is killed, as a server that dies takes its sessions with it.
            let outcome = try await fixture.pool.withConnection { holder in
                try await holder.query("BEGIN")
                try await holder.query("SELECT 1 FROM jobs WHERE id = \(jobs[29].id) FOR UPDATE")
                let runner = Task { try await bulk.run(action) }
                var blocked: Int32?
                while blocked == nil {
                    // Asked outside the holder's transaction, which sees one pg_stat_activity snapshot.
                    blocked = try await fixture.pool.query("""
                        SELECT pid FROM pg_stat_activity
                        WHERE datname = current_database() AND wait_event_type = 'Lock'
                        """).first?.decode("pid", as: Int32.self)
                    try await Task.sleep(for: .milliseconds(20))
                }
                try await holder.query("SELECT pg_terminate_backend(\(blocked))")
                let outcome = await runner.result
                try await holder.query("COMMIT")
                return outcome
            }
            #expect(throws: (any Error).self) { try outcome.get() }
            // The first step (20 jobs) stands; the killed one left its jobs as they were.
            #expect(try await fixture.count("SELECT acted FROM dashboard_actions") == 20)
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'cancelled'") == 20)
            #expect(try await fixture.count("SELECT count(*) FROM dashboard_actions WHERE finished_at IS NULL AND failures = 1") == 1)

            // A runner that is only slow keeps its lease: nothing is taken over.
            try await fixture.pool.query("UPDATE dashboard_actions SET lease_expires_at = now() + interval '1 minute'")
            #expect(try await fixture.queue.resumeBulkActions().isEmpty)
            // Its lease run out, the Maintainer finishes it (1,000 jobs a pass at most).
            try await fixture.pool.query("UPDATE dashboard_actions SET lease_expires_at = now() - interval '1 second'")
            #expect(try await fixture.queue.resumeBulkActions() == [action])
            #expect(try await fixture.queue.resumeBulkActions().isEmpty, "finished: nothing left to take over")

            let row = try #require(try await fixture.pool.query("""
                SELECT done, skipped, acted, total, finished_at IS NOT NULL AS finished, error FROM dashboard_actions
                """).first)
            // Exactly once: a job cancelled twice would have been skipped the second time ("already ended").
            #expect(try row.decode("done", as: Int.self) == 60 && row.decode("skipped", as: Int.self) == 0)
            #expect(try row.decode("acted", as: Int.self) == 60 && row.decode("finished", as: Bool.self))
            #expect(try row.decode("error", as: String?.self) == nil)
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'cancelled'") == 60)
            #expect(try await fixture.count("SELECT count(*) FROM results") == 60)
        }
    }

    @Test("a job the action cannot change is skipped with the reason; an empty action finishes at once")
    func skipsAndEmpty() async throws {
        try await StoreFixture.with("bulk_skips") { fixture in
            let project = try await fixture.project("bulk")
            let jobs = try await fixture.enqueue(3, into: project)
            let bulk = BulkActions(pool: fixture.pool, jobs: fixture.store)
            let retry = try await bulk.create(.retry, filters: "", jobIDs: jobs.map(\.publicID) + ["job_none"], projectID: project.id)
            #expect(try await bulk.run(retry))
            #expect(try await fixture.count("SELECT skipped FROM dashboard_actions WHERE public_id = '\(retry)'") == 4)
            let empty = try await bulk.create(.cancel, filters: "", jobIDs: [], projectID: nil)
            #expect(try await bulk.run(empty))
            #expect(try await fixture.count("SELECT count(*) FROM dashboard_actions WHERE finished_at IS NOT NULL") == 2)
        }
    }
}
