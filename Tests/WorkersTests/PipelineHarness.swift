import Foundation
import HTTPClient
import Logging
import LonghaulCore
import Mantle
import MantleSimulator
import Postgres
import TestSupport
import Workers

/// A real pipeline for a test: a fresh database, an in-process simulator, and a worker group
/// running every loop; ``with(_:simulator:workers:_:)`` stops it gracefully and drops the database.
struct PipelineHarness {
    let fixture: StoreFixture
    let simulator: RunningMantleSimulator
    let http: HTTPClient
    let gateway: MantleGateway
    let workers: RunningWorkers

    /// Runs `body` with the pipeline running; then stops the workers, the simulator, the HTTP
    /// client and the fixture, in that order, however `body` ends.
    static func with<T>(
        _ name: String, simulator configuration: MantleSimulatorConfiguration, workers: WorkerConfiguration = .fast,
        roles: Set<WorkerRole> = Set(WorkerRole.allCases), health: EndpointHealth.Policy = .init(),
        _ body: (PipelineHarness) async throws -> T
    ) async throws -> T {
        try await StoreFixture.with(name, maxConnections: 12) { fixture in
            try await withResource(HTTPClient(), close: { await $0.shutdown() }) { http in
                let simulator = try await MantleSimulator.start(configuration: configuration, logger: Logger(label: "sim"))
                return try await withResource(simulator, close: { await $0.shutdown() }) { simulator in
                    let gateway = MantleGateway(
                        projects: fixture.projects, http: http,
                        defaultEndpoint: try .simulator(baseURL: simulator.baseURL.absoluteString), logger: Logger(label: "gateway"))
                    let running = RunningWorkers.start(
                        "worker", queue: JobQueue(pool: fixture.pool, healthPolicy: health), gateway: gateway, roles: roles,
                        configuration: workers)
                    let harness = PipelineHarness(fixture: fixture, simulator: simulator, http: http, gateway: gateway, workers: running)
                    return try await withResource(harness, close: { await $0.workers.stop() }, body)
                }
            }
        }
    }

    /// A Mantle project in the simulator (or in `elsewhere`, another simulator the project then
    /// calls by its base URL), and a Longhaul project pointing at it.
    func project(
        _ slug: String, maxInFlight: Int = 50, maxAttempts: Int = 3, tokensPerMinute: Int? = nil, credential: String? = nil,
        elsewhere: RunningMantleSimulator? = nil
    ) async throws -> Project {
        let home = elsewhere ?? simulator
        let client = MantleClient(
            endpoint: try MantleEndpoint(baseURL: home.baseURL.absoluteString),
            credentials: try MantleCredentialProvider(.apiKey(MantleSecret(home.simulator.configuration.apiKeys.first ?? "test"))), transport: http)
        let remote = try await client.createProject(ProjectCreateRequest(name: slug))
        return try await fixture.projects.create(NewProject(
            slug: slug, baseURL: elsewhere.map { $0.baseURL.absoluteString }, mantleProjectID: remote.id, credentialReference: credential,
            maxInFlight: maxInFlight, tokensPerMinute: tokensPerMinute, maxAttempts: maxAttempts))
    }

    /// Waits until every job in `publicIDs` is terminal, or fails after `timeout`.
    func waitForTerminal(_ publicIDs: [String], timeout: Duration = .seconds(90)) async throws -> [JobDetail] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let rows = try await fixture.pool.query("""
                SELECT count(*)::bigint AS n FROM jobs WHERE public_id = ANY(\(publicIDs)) AND finished_at IS NOT NULL
                """)
            let done: Int = try rows.first.map { try $0.decode("n") } ?? 0
            if done == publicIDs.count { break }
            guard ContinuousClock.now < deadline else {
                throw HarnessTimeout(description: "only \(done) of \(publicIDs.count) jobs finished within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        var details: [JobDetail] = []
        for id in publicIDs { details.append(try await fixture.store.job(publicID: id, projectID: nil)) }
        return details
    }
}

struct HarnessTimeout: Error, CustomStringConvertible {
    let description: String
}

extension WorkerConfiguration {
    /// Short intervals so tests see Responses finish within tens of milliseconds.
    static var fast: WorkerConfiguration {
        var configuration = WorkerConfiguration()
        configuration.pollSchedule = PollSchedule(first: .milliseconds(50), minimum: .milliseconds(50), maximum: .milliseconds(500), growth: 0.2)
        configuration.retryPolicy = RetryPolicy(base: .milliseconds(50), cap: .milliseconds(500))
        configuration.submitIdleInterval = .milliseconds(200)
        configuration.pollIdleInterval = .milliseconds(50)
        configuration.maintenanceInterval = .milliseconds(500)
        return configuration
    }
}

extension MantleSimulatorConfiguration {
    /// Responses that run 20–60 ms.
    static var quick: MantleSimulatorConfiguration {
        MantleSimulatorConfiguration(speed: 100, seed: 7)
    }
}
