import Foundation
import LonghaulCore
import Postgres
import Synchronization
import TestSupport

/// A fresh database, a `longhaul sim` process as Mantle, and any number of `longhaul work`
/// processes on both, started and killed by the test; the test itself enqueues and inspects
/// through the store.
final class WorkerProcessHarness: Sendable {
    let fixture: StoreFixture
    let simulator: SimulatorProcess
    /// Every worker started, so that none outlives the test however it ends.
    private let workers = Mutex<[LonghaulProcess]>([])

    private init(fixture: StoreFixture, simulator: SimulatorProcess) {
        self.fixture = fixture
        self.simulator = simulator
    }

    /// Runs `body` with a migrated fresh database and a simulator started with `simulatorArguments`;
    /// then kills every worker still running and the simulator, and drops the database, however
    /// `body` ends.
    static func with<T>(_ name: String, simulatorArguments: [String], _ body: (WorkerProcessHarness) async throws -> T) async throws -> T {
        try await StoreFixture.with(name) { fixture in
            try await SimulatorProcess.with(simulatorArguments) { simulator in
                let harness = WorkerProcessHarness(fixture: fixture, simulator: simulator)
                return try await withResource(harness, close: { await $0.stopWorkers() }, body)
            }
        }
    }

    /// The `default` project, which the workers send to `OPENAI_BASE_URL`; made here, before any
    /// worker makes it, so that its `max_in_flight` is the test's.
    func makeDefaultProject(maxInFlight: Int) async throws -> Project {
        try await fixture.projects.create(NewProject(slug: "default", maxInFlight: maxInFlight))
    }

    /// Raises the default project's cap for the worker that takes over. The creates the first
    /// worker left hanging may have made Responses that still run (and bill), so each keeps its
    /// `max_in_flight` slot until its worst-case end (at least 60 s, `longhaul_orphan_until`):
    /// with up to 60 of them under a cap of 60, the new worker had no slot for a minute and
    /// missed the 45 s it is given.
    func makeRoomBesideOrphans() async throws {
        try await fixture.pool.query("UPDATE projects SET max_in_flight = 200 WHERE slug = 'default'")
    }

    /// Enqueues `count` small documents into `project` and returns their public ids.
    func enqueue(_ count: Int, into project: Project) async throws -> [String] {
        var ids: [String] = []
        // Batches of 100 keep each insert statement small.
        for start in stride(from: 0, to: count, by: 100) {
            ids += try await fixture.enqueue(min(100, count - start), into: project).map(\.publicID)
        }
        return ids
    }

    /// Starts `longhaul work` on this database and simulator, with a short lease so that a killed
    /// worker's claims come back within seconds.
    func startWorker(leaseSeconds: Int = 3, arguments: [String] = []) throws -> LonghaulProcess {
        let worker = try LonghaulProcess(
            ["work", "--lease-seconds", String(leaseSeconds)] + arguments,
            environment: ["DATABASE_URL": fixture.databaseURL, "OPENAI_BASE_URL": simulator.baseURL, "OPENAI_API_KEY": "test"])
        workers.withLock { $0.append(worker) }
        return worker
    }

    /// How many jobs are in each state.
    func stateCounts() async throws -> [JobState: Int] {
        let rows = try await fixture.pool.query("SELECT state::text AS state, count(*)::bigint AS n FROM jobs GROUP BY state")
        var counts: [JobState: Int] = [:]
        for row in rows {
            let name: String = try row.decode("state")
            guard let state = JobState(rawValue: name) else { throw LonghaulProcessError("unknown job state '\(name)'") }
            counts[state] = try row.decode("n", as: Int.self)
        }
        return counts
    }

    /// Polls the job states until `condition` holds; throws with the states and the workers' logs
    /// after `timeout`.
    @discardableResult
    func waitUntil(
        _ what: String, timeout: Duration = .seconds(45), _ condition: ([JobState: Int]) -> Bool
    ) async throws -> [JobState: Int] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let counts = try await stateCounts()
            if condition(counts) { return counts }
            guard ContinuousClock.now < deadline else {
                throw LonghaulProcessError("\(what): not reached within \(timeout); jobs: \(Self.describe(counts))\n\(workerLogs())")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Waits until no session of the processes under test is left on the database: a killed
    /// worker's statements can still commit after the process is gone, until its server
    /// processes notice the closed connections.
    func waitForWorkerSessionsToEnd(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            let sessions = try await fixture.count("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND backend_type = 'client backend'
                  AND application_name NOT LIKE '\(StoreFixture.applicationName)%'
                """)
            if sessions == 0 { return }
            guard ContinuousClock.now < deadline else {
                throw LonghaulProcessError("\(sessions) sessions of stopped workers are still open after \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Transactions committed per second on this database (by everyone) over `span`, from
    /// `pg_stat_database`, whose counters lag by up to a second (both ends lag alike).
    func commitsPerSecond(over span: Duration) async throws -> Int {
        let query = "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        let before = try await fixture.count(query)
        try await Task.sleep(for: span)
        let after = try await fixture.count(query)
        let seconds = Double(span.components.seconds) + Double(span.components.attoseconds) / 1e18
        return Int(Double(after - before) / seconds)
    }

    /// Job counts by state, in state order, for messages: "queued 12, running 40, completed 248".
    static func describe(_ counts: [JobState: Int]) -> String {
        JobState.allCases.compactMap { state in counts[state].map { "\(state.rawValue) \($0)" } }.joined(separator: ", ")
    }

    /// Waits until all `total` jobs are terminal and returns the counts.
    func waitForAllTerminal(_ total: Int, timeout: Duration = .seconds(45)) async throws -> [JobState: Int] {
        try await waitUntil("all \(total) jobs terminal", timeout: timeout) { counts in
            counts.filter { $0.key.isTerminal }.values.reduce(0, +) == total
        }
    }

    /// The logs of every worker started, for failure messages.
    func workerLogs() -> String {
        workers.withLock { $0 }.enumerated().map { index, worker in
            "--- worker \(index) (pid \(worker.pid)) ---\n\(worker.log().suffix(4000))"
        }.joined(separator: "\n")
    }

    /// Kills every worker that still runs.
    private func stopWorkers() async {
        for worker in workers.withLock({ $0 }) { await worker.stop() }
    }
}
