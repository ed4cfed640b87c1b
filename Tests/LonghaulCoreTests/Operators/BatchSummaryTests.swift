import Foundation
import LonghaulCore
import TestSupport
import Testing

@Suite("Batch summaries")
struct BatchSummaryTests {
    @Test("counts every state, sums usage over results, and says when the batch is finished")
    func summary() async throws {
        try await StoreFixture.with("batch_summary") { fixture in
            let project = try await fixture.project("team-a")
            let other = try await fixture.project("team-b")
            let batch = try await fixture.batches.createBatch(project: project, name: "q3", source: "/srv/q3", webhookURL: "https://hooks.example/b")
            let jobs = try await fixture.enqueue(4, into: project, batchID: batch.id)

            // Two complete through the real claim → submit → poll path.
            _ = try await fixture.store.cancel(publicID: jobs[3].publicID, projectID: nil)
            let claimed = try await fixture.queue.claimJobs(worker: "w", limit: 2, lease: .seconds(30))
            try await fixture.queue.recordSubmissions(
                claimed.map { .accepted(jobID: $0.id, attempt: $0.attempt, responseID: "resp_\($0.id)", remoteStatus: "in_progress", firstPollIn: .zero, startedAt: Date()) },
                worker: "w")
            let polls = try await fixture.queue.claimPolls(worker: "p", limit: 10, lease: .seconds(30))
            let usage = Usage(inputTokens: 100, cachedTokens: 30, outputTokens: 50, reasoningTokens: 20)
            _ = try await fixture.queue.recordPolls(
                polls.map { .finished(jobID: $0.id, attempt: $0.attempt, RemoteResult(state: .completed, remoteStatus: "completed", outputText: "S.", usage: usage, responseJSON: "{}")) },
                worker: "p")

            let summary = try await fixture.batches.batch(publicID: batch.publicID, projectID: project.id)
            #expect(summary.publicID == batch.publicID && summary.id == batch.id && summary.project == "team-a" && summary.name == "q3")
            #expect(summary.source == "/srv/q3" && summary.webhookURL == "https://hooks.example/b" && summary.totalJobs == 4)
            #expect(summary.counts == [
                "queued": 1, "waiting_for_children": 0, "submitting": 0, "running": 0, "completed": 2, "failed": 0, "incomplete": 0, "cancelled": 1,
            ])
            #expect(summary.usage == Usage(inputTokens: 200, cachedTokens: 60, outputTokens: 100, reasoningTokens: 40, totalTokens: 300))
            #expect(!summary.finished && summary.finishedAt == nil)

            for job in jobs where try await fixture.state(of: job.publicID) == .queued {
                _ = try await fixture.store.cancel(publicID: job.publicID, projectID: nil)
            }
            let done = try await fixture.batches.batch(publicID: batch.publicID, projectID: nil)
            #expect(done.finished && done.finishedAt != nil && done.counts["cancelled"] == 2 && done.counts["queued"] == 0)

            await #expect(throws: StoreError.notFound("batch \(batch.publicID)")) {
                try await fixture.batches.batch(publicID: batch.publicID, projectID: other.id)
            }
            await #expect(throws: StoreError.self) { try await fixture.batches.batch(publicID: "batch_nope", projectID: nil) }
        }
    }

    @Test("an empty batch has every state at zero and is not finished")
    func emptyBatch() async throws {
        try await StoreFixture.with("batch_empty") { fixture in
            let project = try await fixture.project("team-a")
            let batch = try await fixture.batches.createBatch(project: project, name: "empty", source: nil, webhookURL: nil)
            let summary = try await fixture.batches.batch(publicID: batch.publicID, projectID: nil)
            #expect(summary.counts.count == JobState.allCases.count && summary.counts.values.allSatisfy { $0 == 0 })
            #expect(summary.totalJobs == 0 && !summary.finished && summary.usage == Usage(inputTokens: 0, outputTokens: 0))
        }
    }
}
