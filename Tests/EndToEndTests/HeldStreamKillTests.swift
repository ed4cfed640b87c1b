import Foundation
import LonghaulCore
import MantleSimulator
import Postgres
import TestSupport
import Testing

/// Held streams on the three APIs without background mode, through `longhaul work` processes
/// killed with `kill -9` twice mid-run, against a `longhaul sim` process that cuts one stream in
/// twenty: what a crash does to a job that has no Response to come back to.
@Suite("Held streams: kill -9 twice")
struct HeldStreamKillTests {
    /// Streams run 1–3 s; one in twenty is cut half-way on each route.
    static let simulatorArguments = [
        "--min-duration", "1", "--max-duration", "3", "--fault", "chat:streamCut=0.05", "--fault", "messages:streamCut=0.05",
        "--fault", "invoke:streamCut=0.05",
    ]
    static let models = ["qwen.qwen3-32b", "anthropic.claude-opus-4-7", "us.anthropic.claude-sonnet-4-6"]

    @Test("300 held streams, two workers killed mid-stream: every job completes exactly once, no completed stream lost")
    func killTwiceMidStream() async throws {
        try await WorkerProcessHarness.with("e2e_held_kill", simulatorArguments: Self.simulatorArguments) { harness in
            // Six attempts: a cut and two kills may land on one job; running out is not this test's subject.
            let project = try await harness.fixture.projects.create(NewProject(slug: "default", maxInFlight: 60, maxAttempts: 6))
            var ids: [String] = []
            for model in Self.models {
                let requests = try (0..<100).map { index in
                    try harness.fixture.validated(
                        JobRequest(document: "Report \(index) for \(model). The harbour has two piers.", model: model, maxOutputTokens: 200)
                    )
                }
                ids += try await harness.fixture.store.enqueue(requests, project: project).map(\.publicID)
            }
            #expect(try await harness.fixture.count("SELECT count(*) FROM jobs WHERE held") == 300)

            var heldAtKills: [Int] = []
            for (round, completed) in [60, 150].enumerated() {
                // A 10 s lease: at 3 s, a worker starved of CPU by the rest of the suite lost leases of
                // streams it still held, and their jobs ran twice (both attempts completed).
                let worker = try harness.startWorker(leaseSeconds: 10)
                try await harness.waitUntil("worker \(round + 1) completes \(completed) jobs") { $0[.completed, default: 0] >= completed }
                worker.signal(SIGKILL)
                #expect(await worker.waitForExit(timeout: .seconds(10)) != nil, "the killed worker is still running")
                // Once its sessions are gone nothing else runs: these are exactly the streams the dead worker held.
                try await harness.waitForWorkerSessionsToEnd()
                heldAtKills.append(
                    try await harness.fixture.count("SELECT count(*) FROM jobs WHERE held AND state IN ('submitting', 'running')"))
            }
            _ = try harness.startWorker(leaseSeconds: 10)
            let final = try await harness.waitForAllTerminal(ids.count, timeout: .seconds(60))
            #expect(final[.completed] == ids.count, "jobs: \(WorkerProcessHarness.describe(final))")

            // Exactly once: one result and one completed attempt per job.
            #expect(try await harness.fixture.count("SELECT count(*) FROM results WHERE output_text <> '' AND output_tokens > 0") == 300)
            #expect(
                try await harness.fixture.count(
                    "SELECT count(*) FROM (SELECT job_id FROM attempts WHERE outcome = 'completed' GROUP BY job_id HAVING count(*) <> 1) x")
                    == 0)
            #expect(try await harness.fixture.count("SELECT count(*) FROM attempts WHERE outcome = 'completed'") == 300)

            // The kills landed on held streams; each was rescued once, as an abandoned attempt
            // with the input it was billed for (estimated) — and never written over a later attempt.
            #expect(heldAtKills.allSatisfy { $0 > 0 }, "held streams at the kills: \(heldAtKills)")
            let abandoned = try await harness.fixture.count("SELECT count(*) FROM attempts WHERE outcome = 'abandoned'")
            #expect(abandoned == heldAtKills.reduce(0, +), "abandoned \(abandoned), held at the kills \(heldAtKills)")
            #expect(
                try await harness.fixture.count(
                    "SELECT count(*) FROM attempts WHERE outcome = 'abandoned' AND input_tokens > 0 AND input_tokens_estimated")
                    == abandoned)

            // Every stream the simulator finished reached a completed job, except those whose
            // outcome died with a worker: at most the streams held at the kills.
            let counters = try await harness.simulator.counters()
            let finished = counters.generationsCompleted.values.reduce(0, +)
            #expect(finished >= 300)
            #expect(finished - 300 <= heldAtKills.reduce(0, +), "streams finished \(finished) for 300 jobs")
            let cuts = counters.faultsByKind[.streamCut, default: 0]
            let interrupted = try await harness.fixture.count("SELECT count(*) FROM attempts WHERE outcome = 'interrupted'")
            #expect(cuts > 0 && interrupted <= cuts, "cuts \(cuts), interrupted attempts \(interrupted)")
            #expect(
                try await harness.fixture.count(
                    "SELECT count(*) FROM attempts a JOIN jobs j ON j.id = a.job_id WHERE a.outcome = 'interrupted' AND a.input_tokens > 0")
                    == interrupted, "every interrupted attempt records its input")
            print(
                """
                held kill -9: held at the kills \(heldAtKills), \(abandoned) attempts abandoned, \(cuts) cuts → \(interrupted) \
                interrupted attempts, \(finished) streams finished for 300 jobs
                """)
        }
    }
}
