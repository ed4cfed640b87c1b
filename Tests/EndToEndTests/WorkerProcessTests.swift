import Foundation
import LonghaulCore
import MantleSimulator
import Postgres
import Testing
import TestSupport

/// `longhaul work` as real processes on one database, a `longhaul sim` process as Mantle, and
/// signals: what an operator (or the kernel) does to workers in production.
///
/// Responses run 0.5–1.5 s and the `default` project's `max_in_flight` spreads each run over
/// several seconds, so that signals land while workers hold claims of every kind.
@Suite("Worker processes: kill -9, two workers on one database, SIGTERM")
struct WorkerProcessTests {
    static let simulatorArguments = ["--min-duration", "0.5", "--max-duration", "1.5", "--hang-seconds", "30"]
    /// Injected just before a signal, so that the worker certainly has creates in flight when it
    /// dies or stops, not only poll claims; lifted before the next worker starts.
    static let hangCreates = #"{"createFaults": {"hang": 1}}"#
    static let answerCreates = #"{"createFaults": {"hang": 0}}"#

    @Test("kill -9 mid-run: a new worker finishes every job; rescued submissions are logged as abandoned")
    func killNineMidRun() async throws {
        try await WorkerProcessHarness.with("e2e_kill9", simulatorArguments: Self.simulatorArguments) { harness in
            let ids = try await harness.enqueue(300, into: harness.makeDefaultProject(maxInFlight: 60))
            let first = try harness.startWorker()
            try await harness.waitUntil("the first worker completes 60 jobs") { $0[.completed, default: 0] >= 60 }
            try await harness.simulator.configure(Self.hangCreates)
            try await harness.simulator.waitForHungRequests(atLeast: 5)
            first.signal(SIGKILL)
            #expect(await first.waitForExit(timeout: .seconds(10)) != nil, "the killed worker is still running")
            try await harness.simulator.configure(Self.answerCreates)

            // Once its sessions are gone, nothing else runs: these are exactly the claims the dead
            // worker left behind.
            try await harness.waitForWorkerSessionsToEnd()
            let atKill = try await harness.stateCounts()
            let submittingAtKill = atKill[.submitting, default: 0]
            #expect(submittingAtKill >= 5, "the creates held unanswered are the dead worker's submissions")
            let pollClaimsAtKill = try await harness.fixture.count("SELECT count(*) FROM jobs WHERE state = 'running' AND lease_owner IS NOT NULL")

            try await harness.makeRoomBesideOrphans()
            let started = ContinuousClock.now
            _ = try harness.startWorker()
            let final = try await harness.waitForAllTerminal(ids.count)
            let recovery = ContinuousClock.now - started

            #expect(final[.completed] == ids.count, "jobs: \(WorkerProcessHarness.describe(final))")
            let abandoned = try await harness.fixture.count("SELECT count(*) FROM attempts WHERE outcome = 'abandoned'")
            #expect(abandoned == submittingAtKill, "every submission the dead worker held is rescued once and logged")
            #expect(try await harness.fixture.count("SELECT count(*) FROM results WHERE output_text <> '' AND total_tokens > 0") == ids.count)

            let counters = try await harness.simulator.counters()
            let attemptsCreatedTwice = counters.createsByJob.filter { $0.value.values.contains { $0 > 1 } }
            #expect(attemptsCreatedTwice.isEmpty, "job attempts created more than once: \(attemptsCreatedTwice)")
            #expect(ids.allSatisfy { counters.creates(jobID: $0) >= 1 }, "a job completed without a Response being created")
            // Creates that reached Mantle but whose outcome died with the worker: the job's next
            // attempt makes a second Response. Reported, never hidden.
            let jobsWithExtraResponses = counters.createsByJob.values.filter { $0.values.reduce(0, +) > 1 }.count
            print("""
                kill -9: the dead worker held \(submittingAtKill) creates and \(pollClaimsAtKill) poll claims; \
                \(abandoned) attempts logged abandoned; \(counters.responsesCreated) Responses for \(ids.count) jobs \
                (\(jobsWithExtraResponses) jobs with a Response from an attempt whose outcome was lost); \
                duplicate creates per job attempt: \(attemptsCreatedTwice.count); \
                recovery by the second worker: \(recovery.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))
                """)
        }
    }

    @Test("two worker processes on one database: 500 jobs, no job attempt submitted twice, max_in_flight held")
    func twoWorkersShareOneDatabase() async throws {
        try await WorkerProcessHarness.with("e2e_two", simulatorArguments: Self.simulatorArguments) { harness in
            // Both workers wait for work before it comes, so that neither has a head start. No
            // worker dies here, so nothing needs the harness's 3-second lease: under a load average
            // of ~40 it ran out before a heartbeat renewed it, and 5 of 500 jobs were rescued and
            // created again, which this test would then blame on the claim.
            let project = try await harness.makeDefaultProject(maxInFlight: 100)
            let workers = [try harness.startWorker(leaseSeconds: 30), try harness.startWorker(leaseSeconds: 30)]
            for worker in workers {
                _ = try await worker.waitForOutput { $0.contains("worker started") ? true : nil }
            }
            let ids = try await harness.enqueue(500, into: project)
            let final = try await harness.waitForAllTerminal(ids.count, timeout: .seconds(60))
            #expect(final[.completed] == ids.count, "jobs: \(WorkerProcessHarness.describe(final))")

            let counters = try await harness.simulator.counters()
            let notOnce = ids.filter { counters.createsByJob[$0] != ["1": 1] }
            #expect(notOnce.isEmpty, "jobs not created exactly once, on attempt 1: \(notOnce.prefix(10).map { ($0, counters.createsByJob[$0] ?? [:]) })")
            #expect(counters.responsesCreated == ids.count)
            let peak = counters.peakInFlightByProject["default", default: 0]
            #expect(peak > 0 && peak <= 100, "peak Responses in flight at Mantle: \(peak)")

            let rows = try await harness.fixture.pool.query("SELECT worker, count(*)::bigint AS n FROM attempts GROUP BY worker ORDER BY worker")
            let byWorker = try rows.map { (try $0.decode("worker", as: String.self), try $0.decode("n", as: Int.self)) }
            #expect(byWorker.count == 2, "both workers submit: \(byWorker)")

            // With nothing to do, each worker looks for work a few times a second per loop. The
            // Coordinator looked for split jobs every 250 ms and each heartbeat renewed nothing once
            // a third of a lease: 39 commits/s for the two measured alone (84 on a loaded machine);
            // the Coordinator now waits for `longhaul_splits` (2 s fallback) and a heartbeat with
            // nothing in hand skips its write: 21 alone, 132 seen in the full suite on 2 busy cores,
            // measured right after the 500 jobs while their tail (webhooks, statistics) settles,
            // and once 322. A loop that spins makes thousands: this bound catches that with room to
            // spare, and the least of up to three windows lets the tail settle (two idle workers
            // alone: 25 a second; the first window after the jobs, alone: 88–113).
            var idleCommits = Int.max
            for _ in 0..<3 where idleCommits >= 300 {
                idleCommits = min(idleCommits, try await harness.commitsPerSecond(over: .seconds(2)))
            }
            #expect(idleCommits < 300, "two idle workers commit \(idleCommits) transactions a second")
            print("two workers: submissions per worker \(byWorker.map(\.1)); peak in flight at Mantle \(peak) (max_in_flight 100); idle: \(idleCommits) commits/s")
            for worker in workers { worker.signal(SIGTERM) }
            for worker in workers { #expect(await worker.waitForExit(timeout: .seconds(10)) == 0) }
        }
    }

    @Test("SIGTERM during a busy run: exit 0 within 10 s, nothing left leased, a new worker finishes everything")
    func sigtermDuringBusyRun() async throws {
        try await WorkerProcessHarness.with("e2e_sigterm", simulatorArguments: Self.simulatorArguments) { harness in
            let ids = try await harness.enqueue(300, into: harness.makeDefaultProject(maxInFlight: 60))
            let first = try harness.startWorker()
            try await harness.waitUntil("the worker completes 60 jobs") { $0[.completed, default: 0] >= 60 }
            try await harness.simulator.configure(Self.hangCreates)
            try await harness.simulator.waitForHungRequests(atLeast: 3)
            let atSignal = try await harness.stateCounts()

            let signalled = ContinuousClock.now
            first.signal(SIGTERM)
            let status = await first.waitForExit(timeout: .seconds(10))
            let stopping = ContinuousClock.now - signalled
            #expect(status == 0, "exit status \(status.map(String.init) ?? "none: still running after 10 s")\n\(first.log().suffix(4000))")
            if status == nil { await first.stop() }
            try await harness.waitForWorkerSessionsToEnd()

            let leased = try await harness.fixture.count("SELECT count(*) FROM jobs WHERE lease_owner IS NOT NULL")
            let afterStop = try await harness.stateCounts()
            #expect(leased == 0, "jobs still leased by the stopped worker: \(leased); jobs: \(WorkerProcessHarness.describe(afterStop))")
            #expect(afterStop[.submitting, default: 0] == 0, "jobs: \(WorkerProcessHarness.describe(afterStop))")
            let released = try await harness.fixture.count("SELECT count(*) FROM attempts WHERE outcome = 'retryable_error'")
            #expect(released >= 3, "the creates held unanswered are released to the queue, and logged")
            print("""
                SIGTERM: exited \(status.map(String.init) ?? "-") after \(stopping.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))) \
                with \(atSignal[.submitting, default: 0]) creates and \(atSignal[.running, default: 0]) running jobs in hand; \
                \(released) creates released to the queue; \(leased) jobs left leased; after: \(WorkerProcessHarness.describe(afterStop))
                """)

            try await harness.simulator.configure(Self.answerCreates)
            try await harness.makeRoomBesideOrphans()
            _ = try harness.startWorker()
            let final = try await harness.waitForAllTerminal(ids.count)
            #expect(final[.completed] == ids.count, "jobs: \(WorkerProcessHarness.describe(final))")
        }
    }
}
