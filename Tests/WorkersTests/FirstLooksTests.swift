import Foundation
import LonghaulCore
import MantleSimulator
import Postgres
import TestSupport
import Testing

@testable import Workers

/// A create's first look kept in hand from the Submitter to the Poller: the accept leases the job
/// to this worker, no claim takes it from the database, and a worker that stops gives the leases
/// of the looks it never took back.
@Suite("First looks kept in hand")
struct FirstLooksTests {
    static func poll(_ id: Int64) -> ClaimedPoll {
        ClaimedPoll(
            id: id, publicID: "job_\(id)", projectID: 1, attempt: 1, maxAttempts: 3, responseID: "resp_\(id)", model: "m",
            submittedAt: Date(), cancelRequested: false)
    }

    @Test("a look is kept only within half the lease and while there is room, and taken once due, earliest first")
    func keepingAndTaking() {
        let looks = FirstLooks(capacity: 3, lease: .seconds(30))
        let now = ContinuousClock.now
        #expect(!looks.reserve(Self.poll(1), dueIn: .seconds(16), now: now), "due after half the lease")
        #expect(looks.reserve(Self.poll(1), dueIn: .seconds(2), now: now))
        #expect(looks.reserve(Self.poll(2), dueIn: .seconds(1), now: now))
        #expect(looks.reserve(Self.poll(3), dueIn: .zero, now: now))
        #expect(!looks.reserve(Self.poll(4), dueIn: .zero, now: now), "full")
        #expect(looks.takeDue(limit: 10, now: now + .seconds(5)).isEmpty, "nothing is taken before its accept is written")

        looks.written(batch: [1, 2, 3], accepted: [1: false, 2: false, 3: false], now: now)
        #expect(looks.takeDue(limit: 10, now: now).map(\.id) == [3])
        #expect(looks.takeDue(limit: 1, now: now + .seconds(3)).map(\.id) == [2])
        #expect(looks.takeDue(limit: 5, now: now + .seconds(3)).map(\.id) == [1])
        #expect(looks.reserve(Self.poll(4), dueIn: .zero, now: now), "room again once taken")
    }

    @Test("an accept that did not apply drops its look; a cancel asked for meanwhile makes it a cancel, due at once")
    func writtenAccepts() {
        let looks = FirstLooks(capacity: 10, lease: .seconds(30))
        let now = ContinuousClock.now
        for id in 1...3 { _ = looks.reserve(Self.poll(Int64(id)), dueIn: .seconds(5), now: now) }
        looks.written(batch: [1, 2, 3], accepted: [1: false, 3: true], now: now)
        let taken = looks.takeDue(limit: 10, now: now)
        #expect(taken.map(\.id) == [3])
        #expect(taken.first?.cancelRequested == true)
        #expect(looks.drain() == [1])
        #expect(looks.takeDue(limit: 10, now: now + .seconds(10)).isEmpty)
    }

    @Test("the accept leases the job to its worker: no claim takes it, its outcome applies, and a release hands it back")
    func leases() async throws {
        try await StoreFixture.with("first_looks", maxConnections: 2) { fixture in
            let project = try await fixture.project("looks")
            try await fixture.enqueue(3, into: project)
            let claimed = try await fixture.queue.claimJobs(worker: "w", limit: 3, lease: .seconds(30))
            let cancelled = try #require(claimed.last?.id)
            try await fixture.pool.query("UPDATE jobs SET cancel_requested_at = now() WHERE id = \(cancelled)")
            let recorded = try await fixture.queue.recordSubmissions(
                claimed.map {
                    .accepted(
                        jobID: $0.id, attempt: $0.attempt, responseID: "resp_\($0.id)", remoteStatus: "in_progress", firstPollIn: .zero,
                        startedAt: Date(), heldLease: .seconds(30))
                },
                worker: "w")
            #expect(recorded.accepted == Dictionary(uniqueKeysWithValues: claimed.map { ($0.id, $0.id == cancelled) }))
            #expect(try await fixture.queue.claimPolls(worker: "other", limit: 10, lease: .seconds(30)).isEmpty)
            #expect(try await fixture.queue.claimPolls(worker: "w", limit: 10, lease: .seconds(30)).isEmpty)

            let first = claimed[0]
            let result = RemoteResult(state: .completed, remoteStatus: "completed", outputText: "done", usage: nil)
            let polled = try await fixture.queue.recordPolls([.finished(jobID: first.id, attempt: first.attempt, result)], worker: "w")
            #expect(polled.applied == 1)
            try await fixture.queue.releasePollLeases(jobIDs: claimed.dropFirst().map(\.id), worker: "w")
            let taken = try await fixture.queue.claimPolls(worker: "other", limit: 10, lease: .seconds(30))
            #expect(Set(taken.map(\.id)) == Set(claimed.dropFirst().map(\.id)))
            #expect(taken.first { $0.id == cancelled }?.cancelRequested == true)
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'completed'") == 1)
        }
    }

    @Test("a worker that stops with looks in hand gives their leases back")
    func stoppingGivesLeasesBack() async throws {
        var workers = WorkerConfiguration.fast
        // Looks due in 5 s are kept (within half the 30 s lease) and still waiting when it stops.
        workers.pollSchedule = PollSchedule(first: .seconds(5), minimum: .seconds(1), maximum: .seconds(5), growth: 0.2)
        workers.durationRefreshInterval = nil
        workers.maxBackgroundStreams = 0  // polled, not streamed: a held stream leases its job too
        try await PipelineHarness.with("first_looks_stop", simulator: .quick, workers: workers) { harness in
            let project = try await harness.project("team")
            try await harness.fixture.enqueue(5, into: project)
            let deadline = ContinuousClock.now + .seconds(20)
            while try await harness.fixture.count("SELECT count(*) FROM jobs WHERE state = 'running' AND lease_owner IS NOT NULL") < 5 {
                try #require(ContinuousClock.now < deadline, "the accepts did not lease the jobs to their worker")
                try await Task.sleep(for: .milliseconds(50))
            }
            await harness.workers.stop()
            #expect(
                try await harness.fixture.count(
                    "SELECT count(*) FROM jobs WHERE state = 'running' AND lease_owner IS NULL AND next_poll_at <= now()") == 5,
                "given back, and due at once")
            #expect(harness.simulator.counters().requestsByRoute[.retrieveResponse] == nil, "no look was taken before its time")
        }
    }
}
