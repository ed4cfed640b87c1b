import Foundation
import Postgres
import TestSupport
import Testing

@testable import LonghaulCore

@Suite("Group commit of single enqueues")
struct EnqueueGroupCommitTests {
    @Test("many concurrent enqueues all answer created, and share transactions")
    func concurrentEnqueuesShareCommits() async throws {
        try await StoreFixture.with("groupcommit", maxConnections: 8) { fixture in
            let project = try await fixture.project("team-a")
            let committer = EnqueueGroupCommit(store: fixture.store)
            let requests = try (0..<200).map {
                EnqueueRequest(job: try fixture.validated(JobRequest(document: "Report \($0).")), project: project)
            }
            let stored = try await withThrowingTaskGroup(of: EnqueueGroupCommit.Stored.self) { group in
                for request in requests { group.addTask { try await committer.enqueue(request) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(stored.allSatisfy { $0.created && $0.detail.state == .queued })
            #expect(Set(stored.map(\.detail.id)).count == 200)
            // Read in the group's transaction, each answer is the job as a later read shows it.
            for answer in stored.prefix(3) {
                #expect(try await fixture.store.job(publicID: answer.detail.publicID, projectID: project.id) == answer.detail)
            }
            // Rows written by one transaction share its xmin.
            let transactions = try await fixture.count("SELECT count(DISTINCT xmin::text) FROM jobs")
            #expect(transactions < 200, "\(transactions) transactions for 200 enqueues")
        }
    }

    @Test("in one group, a refused request fails alone and a repeated idempotency key answers the first job")
    func eachRequestKeepsItsOwnAnswer() async throws {
        try await StoreFixture.with("groupanswers") { fixture in
            let project = try await fixture.project("team-a")
            _ = try await fixture.project("old")
            let archived = try await fixture.projects.archive(slug: "old")
            _ = try await fixture.store.enqueue(
                [try fixture.validated(JobRequest(document: "First report.", idempotencyKey: "q3"))], project: project)

            let committer = EnqueueGroupCommit(store: fixture.store)
            let answers = await committer.write([
                EnqueueRequest(job: try fixture.validated(JobRequest(document: "Fine.")), project: project),
                EnqueueRequest(job: try fixture.validated(JobRequest(document: "Another report.", idempotencyKey: "q3")), project: project),
                EnqueueRequest(job: try fixture.validated(JobRequest(document: "Archived.")), project: archived),
                EnqueueRequest(job: try fixture.validated(JobRequest(document: "Twice.", idempotencyKey: "twice")), project: project),
                EnqueueRequest(job: try fixture.validated(JobRequest(document: "Twice.", idempotencyKey: "twice")), project: project),
            ])
            #expect((try? answers[0].get())?.created == true)
            #expect(throws: StoreError.self) { try answers[1].get() }
            #expect(throws: StoreError.self) { try answers[2].get() }
            let first = try answers[3].get(), second = try answers[4].get()
            #expect(first.created && !second.created && first.detail.id == second.detail.id)
            #expect(try await fixture.count("SELECT count(*) FROM jobs") == 3)
        }
    }

    @Test("a row the database refuses fails its request alone; the rest of the group is written")
    func aRefusedRowIsIsolated() async throws {
        try await StoreFixture.with("groupisolate") { fixture in
            let project = try await fixture.project("team-a")
            var poisoned = try fixture.validated(JobRequest(document: "Fine so far."))
            // jsonb refuses U+0000 (SQLSTATE 22P05): the grouped INSERT fails as a whole.
            poisoned.request.document = "Broken \u{0}."
            let committer = EnqueueGroupCommit(store: fixture.store)
            let answers = await committer.write([
                EnqueueRequest(job: try fixture.validated(JobRequest(document: "Before.")), project: project),
                EnqueueRequest(job: poisoned, project: project),
                EnqueueRequest(job: try fixture.validated(JobRequest(document: "After.")), project: project),
            ])
            #expect((try? answers[0].get())?.created == true)
            #expect((try? answers[1].get()) == nil)
            #expect((try? answers[2].get())?.created == true)
            #expect(try await fixture.count("SELECT count(*) FROM jobs") == 2)
        }
    }
}
