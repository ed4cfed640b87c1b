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

    @Test("a text pruned between the statement that stores it and the jobs' insert is stored again: the write is retried whole, in a batch and a group")
    func aTextPrunedMidWriteIsStoredAgain() async throws {
        try await StoreFixture.with("prune-race") { fixture in
            let project = try await fixture.project("prune-race")
            // The pruner's delete, in the gap between the two statements of one round trip: once per
            // restart of the sequence (nextval is not rolled back with the write it failed).
            try await fixture.pool.query("CREATE SEQUENCE raced_once")
            try await fixture.pool.query("""
                CREATE FUNCTION prune_raced() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF nextval('raced_once') = 1 THEN DELETE FROM documents WHERE body = 'Raced.'; END IF;
                    RETURN NULL;
                END $$
                """)
            try await fixture.pool.query(
                "CREATE TRIGGER prune_raced AFTER INSERT ON documents FOR EACH STATEMENT EXECUTE FUNCTION prune_raced()")
            let job = try fixture.validated(JobRequest(document: "Raced."))

            let batch = try await fixture.store.enqueue([job], project: project)
            #expect(batch.count == 1 && batch[0].created)

            try await fixture.pool.query("DELETE FROM jobs")
            try await fixture.pool.query("DELETE FROM documents")
            try await fixture.pool.query("ALTER SEQUENCE raced_once RESTART")
            let grouped = try await EnqueueGroupCommit(store: fixture.store).enqueue(EnqueueRequest(job: job, project: project))
            #expect(grouped.created)

            #expect(try await fixture.count("SELECT nextval('raced_once')") == 3, "each write ran twice: the first lost its text")
            #expect(try await fixture.count("SELECT count(*) FROM jobs j JOIN documents d ON d.id = j.document_id WHERE d.body = 'Raced.'") == 1)
        }
    }
}
