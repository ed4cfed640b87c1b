import Foundation
import LonghaulCore
import TestSupport
import Testing

@Suite("Progress pacing: a batch run reads everything at most a twentieth of the time, and its end at once")
struct ProgressPacingTests {
    static let start = ContinuousClock.now

    @Test("the first read is due at once")
    func firstReadIsDue() {
        #expect(ProgressPacing().isFullReadDue(at: Self.start, batchPending: nil))
    }

    @Test("a read that took 40 ms rests 760 ms: reads are a twentieth of the time")
    func restsNineteenTimesTheRead() {
        var pacing = ProgressPacing()
        pacing.fullReadTook(.milliseconds(40), startedAt: Self.start)
        #expect(!pacing.isFullReadDue(at: Self.start + .milliseconds(500), batchPending: nil))
        #expect(!pacing.isFullReadDue(at: Self.start + .milliseconds(799), batchPending: 12))
        #expect(pacing.isFullReadDue(at: Self.start + .milliseconds(800), batchPending: nil))
    }

    @Test("a cheap read is due again at the next tick")
    func cheapReadsFollowTheTick() {
        var pacing = ProgressPacing()
        pacing.fullReadTook(.milliseconds(2), startedAt: Self.start)
        #expect(pacing.isFullReadDue(at: Self.start + ProgressPacing.tick, batchPending: nil))
    }

    @Test("the batch saying nothing is left makes a read due before the rest is over")
    func anEmptyBatchIsReadAtOnce() {
        var pacing = ProgressPacing()
        pacing.fullReadTook(.milliseconds(120), startedAt: Self.start)
        #expect(!pacing.isFullReadDue(at: Self.start + .milliseconds(300), batchPending: 1))
        #expect(pacing.isFullReadDue(at: Self.start + .milliseconds(300), batchPending: 0))
    }
}

@Suite("Read pacing: a read that grows with the data takes at most a twentieth of the time")
struct ReadPacingTests {
    static let start = ContinuousClock.now

    @Test("due at first; after a 250 ms read, due again 5 s after it started, not before")
    func restsNineteenTimesTheRead() {
        var pacing = ReadPacing()
        #expect(pacing.isDue(at: Self.start))
        pacing.readTook(.milliseconds(250), startedAt: Self.start)
        #expect(!pacing.isDue(at: Self.start + .milliseconds(4_999)))
        #expect(pacing.isDue(at: Self.start + .seconds(5)))
    }
}

/// The read `ProgressPacing` makes at every tick: the batch row's count of unfinished jobs.
@Suite("A batch's unfinished count, one row")
struct BatchPendingCountTests {
    @Test("every enqueued job, less each that ended; nil for a batch that does not exist")
    func countsDownAsJobsEnd() async throws {
        try await StoreFixture.with("batch_pending") { fixture in
            let project = try await fixture.project("acme")
            let batches = BatchStore(pool: fixture.pool, jobs: fixture.store)
            let jobs = try (0..<3).map { index in
                try fixture.validated(JobRequest(document: "Document \(index). It has a sentence.", maxOutputTokens: 100))
            }
            let batch = try await batches.enqueueBatch(jobs, project: project, name: "b", source: nil, webhookURL: nil, budget: nil).batch
            #expect(try await batches.pendingJobs(batchID: batch.id) == 3)

            let claimed = try await fixture.queue.claimJobs(worker: "w", limit: 2, lease: .seconds(60))
            try await fixture.queue.recordSubmissions(
                claimed.map { job in
                    .finished(jobID: job.id, attempt: job.attempt,
                              RemoteResult(state: .completed, remoteStatus: "completed", outputText: "S.", responseJSON: nil),
                              startedAt: Date())
                },
                worker: "w")
            #expect(try await batches.pendingJobs(batchID: batch.id) == 1)
            #expect(try await batches.pendingJobs(batchID: batch.id + 1_000) == nil)
        }
    }
}
