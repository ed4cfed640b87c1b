import Foundation
import LonghaulCore
import Mantle
import MantleSimulator
import Postgres
import TestSupport
import Testing
import Workers

@Suite("The pipeline end to end: workers, the simulator as Mantle, a real PostgreSQL")
struct PipelineTests {
    @Test("500 jobs across 3 projects all complete, with usage stored and no attempt submitted twice")
    func fiveHundredJobs() async throws {
        try await PipelineHarness.with("pipeline500", simulator: .quick) { harness in
            var ids: [String] = []
            for (slug, count) in [("alpha", 250), ("beta", 150), ("gamma", 100)] {
                let project = try await harness.project(slug, maxInFlight: 100)
                ids += try await harness.fixture.enqueue(count, into: project).map(\.publicID)
            }
            let jobs = try await harness.waitForTerminal(ids)
            #expect(jobs.allSatisfy { $0.state == .completed })
            #expect(jobs.allSatisfy { ($0.usage?.totalTokens ?? 0) > 0 && $0.outputText?.isEmpty == false })
            #expect(jobs.allSatisfy { $0.responseID?.hasPrefix("resp_") == true })
            let counters = harness.simulator.counters()
            let duplicates = counters.createsByJob.filter { $0.value.values.contains { $0 > 1 } }
            #expect(duplicates.isEmpty, "attempts created twice: \(duplicates)")
            #expect(counters.createsByJob.count == 500)
            // The stored Response is the JSON object itself (not a JSON string holding it).
            #expect(
                try await harness.fixture.count(
                    "SELECT count(*) FROM results WHERE jsonb_typeof(response) = 'object' AND response->>'status' = 'completed'") == 500)
        }
    }

    @Test("a job's service tier goes to Mantle, and the tier Mantle answered is stored with it")
    func serviceTiers() async throws {
        try await PipelineHarness.with("tiers", simulator: .quick) { harness in
            let project = try await harness.project("team")
            var requests: [JobRequest] = []
            for tier in [ServiceTier.flex, .auto, nil] {
                var request = JobRequest(document: "The harbour reopened after the storm; ferries run again from Monday.")
                request.serviceTier = tier
                requests.append(request)
            }
            let jobs = try await harness.fixture.store.enqueue(try requests.map(harness.fixture.validated), project: project)
            let ended = try await harness.waitForTerminal(jobs.map(\.publicID))
            #expect(ended.map(\.state) == [.completed, .completed, .completed])
            #expect(ended.map(\.serviceTier) == ["flex", "auto", nil])
            // Mantle answers `auto` as `default`, and so does its endpoint default.
            #expect(ended.map(\.servedTier) == ["flex", "default", "default"])
        }
    }

    @Test("a budget too small for the summary ends the job incomplete, with Mantle's reason")
    func incomplete() async throws {
        try await PipelineHarness.with("incomplete", simulator: .quick) { harness in
            let project = try await harness.project("team")
            let long = String(repeating: "The committee met on Tuesday and agreed the budget for the new library wing. ", count: 40)
            let jobs = try await harness.fixture.store.enqueue(
                [harness.fixture.validated(JobRequest(document: long, maxOutputTokens: 16))], project: project)
            let ended = try await harness.waitForTerminal(jobs.map(\.publicID))
            #expect(ended[0].state == .incomplete)
            #expect(ended[0].incompleteReason == "max_output_tokens")
        }
    }

    /// Runs `body` with one job of `request` running on Mantle's side, where its Response lasts
    /// 30 to 40 s: long enough to act on it while it runs.
    func withRunningJob(
        _ name: String, _ request: JobRequest, _ body: (PipelineHarness, Project, EnqueuedJob) async throws -> Void
    ) async throws {
        var simulator = MantleSimulatorConfiguration(speed: 1, seed: 3)
        simulator.minimumDurationSeconds = 30
        simulator.maximumDurationSeconds = 40
        try await PipelineHarness.with(name, simulator: simulator) { harness in
            let project = try await harness.project("team")
            let job = try await harness.fixture.store.enqueue([harness.fixture.validated(request)], project: project)[0]
            let giveUp = ContinuousClock.now + .seconds(25)
            while try await harness.fixture.state(of: job.publicID) != .running && ContinuousClock.now < giveUp {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await body(harness, project, job)
        }
    }

    @Test("cancelling a running job sends Mantle's cancel and ends the job cancelled")
    func cancelRunning() async throws {
        try await withRunningJob("cancel", JobRequest(document: "A story about a lighthouse keeper and a storm.")) { harness, project, job in
            #expect(try await harness.fixture.store.cancel(publicID: job.publicID, projectID: project.id) == .cancelRequested)
            let ended = try await harness.waitForTerminal([job.publicID], timeout: .seconds(25))
            #expect(ended[0].state == .cancelled)
            #expect(ended[0].remoteStatus == "cancelled")
        }
    }

    @Test("a job whose deadline passes while Mantle runs it is cancelled there and ends failed deadline_exceeded")
    func deadlinePassesInFlight() async throws {
        var request = JobRequest(document: "A story about a lighthouse keeper and a storm.")
        request.deadline = Date().addingTimeInterval(3600)
        try await withRunningJob("deadline", request) { harness, _, job in
            // Time passes: the deadline is now behind it. The Maintainer's pass sends the cancel.
            try await harness.fixture.pool.query("UPDATE jobs SET deadline = now() - interval '1 second' WHERE public_id = \(job.publicID)")
            _ = try await harness.fixture.queue.enforceDeadlines()
            let ended = try await harness.waitForTerminal([job.publicID], timeout: .seconds(25))
            #expect(ended[0].state == .failed && ended[0].errorCode == "deadline_exceeded")
            #expect(ended[0].remoteStatus == "cancelled")
            #expect(ended[0].errorMessage?.contains("while it ran; its call was cancelled") == true)
        }
    }

    @Test("Responses that fail with server_error are resubmitted, then the job fails with Mantle's message")
    func transientRemoteFailuresExhaustAttempts() async throws {
        var simulator = MantleSimulatorConfiguration.quick
        simulator.createFaults.failedResponse = 1.0
        try await PipelineHarness.with("remotefail", simulator: simulator) { harness in
            let project = try await harness.project("team", maxAttempts: 2)
            let jobs = try await harness.fixture.enqueue(3, into: project)
            let ended = try await harness.waitForTerminal(jobs.map(\.publicID))
            #expect(ended.allSatisfy { $0.state == .failed && $0.errorCode == "server_error" && $0.attempt == 2 })
            #expect(try await harness.fixture.count("SELECT count(*) FROM attempts") == 6)
            #expect(try await harness.fixture.count("SELECT count(*) FROM attempts WHERE outcome = 'remote_failed'") == 3)
        }
    }

    @Test("fairness: project B's 10 jobs are all submitted before project A's 300th")
    func fairness() async throws {
        try await PipelineHarness.with("fairness", simulator: .quick) { harness in
            let a = try await harness.project("a", maxInFlight: 5000)
            let b = try await harness.project("b", maxInFlight: 5000)
            let aJobs = try await harness.fixture.enqueue(2000, into: a)
            let bJobs = try await harness.fixture.enqueue(10, into: b)
            _ = try await harness.waitForTerminal(bJobs.map(\.publicID))
            let before = try await harness.fixture.count(
                """
                SELECT count(*) FROM attempts a JOIN jobs j ON j.id = a.job_id
                WHERE j.project_id = \(a.id) AND a.started_at < (
                    SELECT max(x.started_at) FROM attempts x JOIN jobs y ON y.id = x.job_id WHERE y.project_id = \(b.id))
                """)
            #expect(before < 300, "project A had \(before) jobs submitted before B's last")
            _ = try await harness.waitForTerminal(aJobs.map(\.publicID), timeout: .seconds(120))
        }
    }

    @Test("max_in_flight is never exceeded on Mantle's side, and a token budget keeps the quota's 429s away")
    func limits() async throws {
        var simulator = MantleSimulatorConfiguration(speed: 20, seed: 5)
        try await PipelineHarness.with("limits", simulator: simulator) { harness in
            let capped = try await harness.project("capped", maxInFlight: 5)
            let jobs = try await harness.fixture.enqueue(40, into: capped)
            _ = try await harness.waitForTerminal(jobs.map(\.publicID))
            let peak = harness.simulator.counters().peakInFlightByProject[capped.mantleProjectID ?? ""] ?? 0
            #expect(peak > 0 && peak <= 5, "peak in flight \(peak)")

            // Mantle admits on input + max_output_tokens per rolling minute; so does the budget.
            let budgeted = try await harness.project("budgeted", tokensPerMinute: 3000)
            simulator.projectTokensPerMinute = [budgeted.mantleProjectID ?? "": 3000]
            harness.simulator.updateConfiguration(simulator)
            let more = try await harness.fixture.enqueue(20, into: budgeted, maxOutputTokens: 250)
            try await Task.sleep(for: .seconds(3))
            let submitted = try await harness.fixture.count("SELECT count(*) FROM jobs WHERE project_id = \(budgeted.id) AND attempt > 0")
            #expect(submitted > 0 && submitted < more.count)
            #expect(harness.simulator.counters().faultsByKind[.tooManyRequests, default: 0] == 0)
        }
    }
}
