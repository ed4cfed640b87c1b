import Foundation
import LonghaulCore
import Postgres
import TestSupport
import Testing

@Suite("Pruning finished rows")
struct PruneTests {
    @Test("finished jobs past retention go, with the texts no other job uses; a text pruned can be enqueued again")
    func textsGoWithTheirLastJob() async throws {
        try await StoreFixture.with("prune") { fixture in
            let project = try await fixture.project("prune")
            let jobs = try ["Alone.", "Shared.", "Shared.", "Recent."].map { try fixture.validated(JobRequest(document: $0)) }
            let enqueued = try await fixture.store.enqueue(jobs, project: project)
            let ids = enqueued.map(\.id)
            // The first three ended two hours ago, the last a minute ago; "Shared." is used by the
            // second (old) and third (still queued) job.
            try await fixture.pool.query(
                "UPDATE jobs SET state = 'completed', finished_at = now() - interval '2 hours' WHERE id = ANY(\([ids[0], ids[1]]))")
            try await fixture.pool.query(
                "UPDATE jobs SET state = 'completed', finished_at = now() - interval '1 minute' WHERE id = \(ids[3])")
            let texts = "SELECT count(*) FROM documents WHERE media_type = 'text/plain'"
            #expect(try await fixture.count(texts) == 3)

            let first = try await fixture.queue.prune(retention: .seconds(3600))
            #expect(first.prunedJobs == 2)
            #expect(first.prunedDocuments == 1, "only 'Alone.': 'Shared.' and the instructions are still used")
            #expect(try await fixture.count("SELECT count(*) FROM jobs") == 2)
            #expect(try await fixture.count(texts) == 2)

            try await fixture.pool.query(
                "UPDATE jobs SET state = 'completed', finished_at = now() - interval '2 hours' WHERE id = ANY(\([ids[2], ids[3]]))")
            let second = try await fixture.queue.prune(retention: .seconds(3600))
            #expect(second.prunedJobs == 2)
            #expect(second.prunedDocuments == 3, "'Shared.', 'Recent.' and the instructions, used by no job now")
            #expect(try await fixture.count("SELECT count(*) FROM documents") == 0)

            let again = try await fixture.store.enqueue([fixture.validated(JobRequest(document: "Shared."))], project: project)
            #expect(again.count == 1 && again[0].created)
            #expect(try await fixture.count(texts) == 1)
        }
    }
}
