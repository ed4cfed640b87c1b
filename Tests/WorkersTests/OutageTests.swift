import Foundation
import Logging
import LonghaulCore
import MantleSimulator
import Postgres
import TestSupport
import Testing
import Workers

/// Outages and refused keys pause the work instead of failing it (real PostgreSQL, real
/// simulators). Times are scaled down from the issue's (a 90 s outage, a 30 s wrong key) with
/// the breaker's probes scaled alike; `bench/drills.sh outage` runs the full-length one with
/// real processes.
@Suite("Outages pause the work", .serialized)
struct OutageTests {
    /// Probes every 0.3 s doubling to 2 s, a paused project tried every second.
    static let health = EndpointHealth.Policy(
        threshold: 5, firstProbe: .milliseconds(300), maximumProbe: .seconds(2), pausedProbe: .seconds(1))

    @Test("an endpoint down for seconds (503, then cut connections) fails nothing, spends at most one attempt more, and slows no other project")
    func outageFailsNothing() async throws {
        try await PipelineHarness.with("outage", simulator: .quick, health: Self.health) { harness in
            let healthy = try await MantleSimulator.start(configuration: .quick, logger: Logger(label: "sim-b"))
            try await withResource(healthy, close: { await $0.shutdown() }) { healthy in
            let alpha = try await harness.project("alpha", maxInFlight: 20)
            let beta = try await harness.project("beta", maxInFlight: 6, elsewhere: healthy)
            let alphaJobs = try await harness.fixture.enqueue(150, into: alpha).map(\.publicID)
            let betaJobs = try await harness.fixture.enqueue(150, into: beta).map(\.publicID)

            try await harness.waitUntil("some of alpha completed") { try await harness.completed(in: alpha) >= 25 }
            let betaBefore = try await harness.completed(in: beta)
            let requestsBefore = harness.simulator.counters().requestsByRoute.values.reduce(0, +)
            var down = harness.simulator.simulator.configuration
            down.createFaults = FaultRates(serviceUnavailable: 1)
            down.retrieveFaults = FaultRates(serviceUnavailable: 1)
            harness.simulator.updateConfiguration(down)
            try await harness.waitUntil("alpha's breaker opened") {
                try await harness.fixture.projects.get(id: alpha.id).hold?.kind == .endpointUnavailable
            }
            try await Task.sleep(for: .seconds(4))
            down.createFaults = FaultRates(dropConnection: 1)
            down.retrieveFaults = FaultRates(dropConnection: 1)
            harness.simulator.updateConfiguration(down)
            try await Task.sleep(for: .seconds(2))
            let requestsDuringOutage = harness.simulator.counters().requestsByRoute.values.reduce(0, +) - requestsBefore
            let betaDuring = try await harness.completed(in: beta) - betaBefore
            let alphaHeld = try await harness.fixture.store.job(publicID: alphaJobs[alphaJobs.count - 1], projectID: nil)
            harness.simulator.updateConfiguration(.quick)

            let jobs = try await harness.waitForTerminal(alphaJobs + betaJobs, timeout: .seconds(120))
            #expect(jobs.filter { $0.state != .completed }.map { "\($0.publicID) \($0.state) \($0.errorMessage ?? "")" } == [])
            #expect(jobs.map(\.attempt).max() ?? 0 <= 2, "attempts: \(Dictionary(grouping: jobs, by: \.attempt).mapValues(\.count))")
            #expect(betaDuring > 0, "beta completed nothing while alpha's endpoint was down")
            #expect(alphaHeld.waiting?.reason == .endpointUnavailable, "\(String(describing: alphaHeld.waiting))")
            // One probe on a growing interval, and looks at the ~20 running Responses at most once
            // a second: under 250 calls, where 120 queued jobs each retrying on their own (every
            // 0.05–0.5 s with this test's retry policy) would make well over a thousand.
            #expect(requestsDuringOutage < 250, "\(requestsDuringOutage) calls reached alpha's endpoint during the outage")
            #expect(try await harness.fixture.projects.get(id: alpha.id).hold == nil)
            }
        }
    }

    @Test("a refused key pauses the project with Mantle's reason, once; fixing the key resumes the same jobs, none failed")
    func refusedKeyPauses() async throws {
        var keys = MantleSimulatorConfiguration.quick
        keys.apiKeys = ["the-right-key"]
        try await PipelineHarness.with("refused_key", simulator: keys, roles: [.submit, .poll, .maintain], health: Self.health) { harness in
            let folder = try TemporaryFolder(prefix: "longhaul-key")
            try folder.write("key", "a-revoked-key")
            let project = try await harness.project("gamma", credential: "file:\(folder.path)/key")
            _ = try await WebhookStore(pool: harness.fixture.pool).addEndpoint(projectID: project.id, url: "https://hooks.example/ops")
            let ids = try await harness.fixture.enqueue(40, into: project).map(\.publicID)

            try await harness.waitUntil("the project paused") { try await harness.fixture.projects.get(id: project.id).hold != nil }
            let paused = try await harness.fixture.projects.get(id: project.id)
            let hold = try #require(paused.hold)
            #expect(hold.kind == .refused && hold.code == "invalid_api_key", "\(hold)")
            #expect(hold.message(project: "gamma").contains("Mantle refuses project gamma"))
            // Every job waits for the project once no create of it is in flight: those claimed with
            // the first refused one are still `submitting` for a moment (the probe takes another),
            // and a job shows why it waits only when queued, so one read right after the pause
            // found none (2 of 5 runs under load).
            let newest = ids[ids.count - 1]
            try await harness.waitUntil("the newest job waits for the project") {
                try await harness.fixture.store.job(publicID: newest, projectID: nil).waiting?.reason == .projectRefused
            }
            let waiting = try await harness.fixture.store.job(publicID: newest, projectID: nil).waiting
            #expect(waiting?.nextTryAt != nil, "\(String(describing: waiting))")
            try await Task.sleep(for: .seconds(2))  // probes meanwhile keep it paused and announce nothing new

            try folder.write("key", "the-right-key")
            let jobs = try await harness.waitForTerminal(ids, timeout: .seconds(60))
            #expect(jobs.allSatisfy { $0.state == .completed && $0.attempt == 1 }, "\(jobs.map { "\($0.state) \($0.attempt)" })")
            #expect(try await harness.fixture.projects.get(id: project.id).hold == nil)
            let events = try await harness.fixture.pool.query("""
                SELECT event_type, count(*)::bigint AS n FROM deliveries WHERE project_id = \(project.id) AND event_type LIKE 'project.%'
                GROUP BY event_type ORDER BY event_type
                """)
            let counts = try Dictionary(uniqueKeysWithValues: events.map { (try $0.decode("event_type", as: String.self), try $0.decode("n", as: Int.self)) })
            #expect(counts == ["project.paused": 1, "project.resumed": 1])
        }
    }

    @Test("Responses that end failed with server_error still spend attempts, up to max_attempts, as before")
    func failedResponsesSpendAttempts() async throws {
        var flaky = MantleSimulatorConfiguration.quick
        flaky.createFaults = FaultRates(failedResponse: 0.1)
        try await PipelineHarness.with("failed_responses", simulator: flaky, health: Self.health) { harness in
            let project = try await harness.project("epsilon", maxAttempts: 2)
            let jobs = try await harness.waitForTerminal(try await harness.fixture.enqueue(200, into: project).map(\.publicID))
            #expect(jobs.allSatisfy { $0.attempt <= 2 })
            #expect(jobs.contains { $0.attempt == 2 }, "no Response failed: the fault did not fire")
            let failed = jobs.filter { $0.state != .completed }
            #expect(failed.allSatisfy { $0.state == .failed && $0.attempt == 2 && $0.errorCode == "server_error" }, "\(failed)")
            #expect(try await harness.fixture.projects.get(id: project.id).hold == nil)
        }
    }

    @Test("an operator's pause holds queued jobs in place until resume; running ones finish")
    func operatorPause() async throws {
        try await PipelineHarness.with("operator_pause", simulator: .quick, health: Self.health) { harness in
            let project = try await harness.project("delta")
            _ = try await harness.fixture.projects.pause(slug: "delta", reason: "maintenance window")
            let ids = try await harness.fixture.enqueue(10, into: project).map(\.publicID)
            try await Task.sleep(for: .seconds(1))
            #expect(try await harness.completed(in: project) == 0)
            let waiting = try await harness.fixture.store.job(publicID: ids[0], projectID: nil).waiting
            #expect(waiting?.reason == .pausedByOperator && waiting?.message.contains("maintenance window") == true)
            _ = try await harness.fixture.projects.resume(slug: "delta")
            let jobs = try await harness.waitForTerminal(ids, timeout: .seconds(30))
            #expect(jobs.allSatisfy { $0.state == .completed })
        }
    }
}

extension PipelineHarness {
    /// How many of `project`'s jobs completed.
    func completed(in project: Project) async throws -> Int {
        let rows = try await fixture.pool.query("SELECT count(*)::bigint AS n FROM jobs WHERE project_id = \(project.id) AND state = 'completed'")
        return try rows.first.map { try $0.decode("n", as: Int.self) } ?? 0
    }

    /// Waits until `condition` holds, checking every 50 ms, or fails after `timeout`.
    func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw HarnessTimeout(description: "\(what): not within \(timeout)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
