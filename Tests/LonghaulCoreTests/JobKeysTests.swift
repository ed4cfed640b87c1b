import Foundation
import LonghaulCore
import Postgres
import TestSupport
import Testing

/// `job_keys` (migration 0025) indexes each job's public id and document once, at enqueue, so
/// that the queue's updates of `jobs` write no entry for them; the triggers keep it whole.
@Suite("A job's keys")
struct JobKeysTests {
    /// Rows of `jobs` whose keys are missing or differ, and keys whose job is gone.
    static let mismatches = """
        SELECT count(*) FROM jobs j FULL JOIN job_keys k ON k.job_id = j.id
        WHERE j.id IS NULL OR k.job_id IS NULL OR k.public_id <> j.public_id OR k.document_id <> j.document_id
        """

    @Test("every job inserted has its keys, found by public id; deleting jobs, or a split job with its children, takes their keys")
    func keysFollowTheRows() async throws {
        try await StoreFixture.with("job-keys") { fixture in
            let project = try await fixture.project("job-keys")
            let jobs = try await fixture.enqueue(3, into: project)
            #expect(try await fixture.count("SELECT count(*) FROM job_keys") == 3)
            #expect(try await fixture.count(Self.mismatches) == 0)
            let found = try await fixture.store.job(publicID: jobs[1].publicID, projectID: project.id)
            #expect(found.id == jobs[1].id)

            // The third is the second's child: deleting the parent cascades to it.
            try await fixture.pool.query("UPDATE jobs SET parent_id = \(jobs[1].id) WHERE id = \(jobs[2].id)")
            try await fixture.pool.query("DELETE FROM jobs WHERE id = \(jobs[1].id)")
            #expect(try await fixture.strings("SELECT public_id FROM job_keys") == [jobs[0].publicID])
            await #expect(throws: StoreError.self) { try await fixture.store.job(publicID: jobs[2].publicID, projectID: nil) }

            try await fixture.pool.query("UPDATE jobs SET state = 'completed', finished_at = now() - interval '2 hours'")
            #expect(try await fixture.queue.prune(retention: .seconds(3600)).prunedJobs == 1)
            #expect(try await fixture.count("SELECT count(*) FROM job_keys") == 0)
        }
    }

    @Test("a job's public id and document cannot change; an update that names them with their own values goes through")
    func keysAreFixed() async throws {
        try await StoreFixture.with("job-keys-fixed") { fixture in
            let project = try await fixture.project("job-keys-fixed")
            let jobs = try await fixture.enqueue(2, into: project)
            for change in [
                "public_id = 'job_renamed'",
                "document_id = (SELECT document_id FROM jobs WHERE id = \(jobs[1].id))",
            ] {
                do {
                    try await fixture.pool.query(PostgresQuery(unsafeSQL: "UPDATE jobs SET \(change) WHERE id = \(jobs[0].id)"))
                    Issue.record("the update \(change) went through")
                } catch let error as PostgresError {
                    #expect(error.code == .checkViolation)
                    #expect(error.message.contains("job \(jobs[0].publicID) keeps its public id and document"), "\(error.message)")
                }
            }
            try await fixture.pool.query("UPDATE jobs SET public_id = public_id, document_id = document_id, priority = 3")
            #expect(try await fixture.count(Self.mismatches) == 0)
        }
    }
}
