import ArgumentParser
import Foundation
import Hummingbird
import Logging
import LonghaulCore
import NIOCore
import Postgres
import ServiceLifecycle
import Synchronization
import Workers

/// `longhaul-bench webhooks`: how fast the Deliverer sends to a local receiver, and how long a
/// job's webhook takes from the job's terminal commit to its arrival at the receiver.
struct WebhooksBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "Measure webhook deliveries per second and commit-to-arrival latency.")

    /// A throwaway database: the bench migrates it and makes a project of its own there.
    @OptionGroup var database: BenchDatabase

    @Option(help: "Deliveries for the throughput phase.")
    var deliveries = 20_000

    @Option(help: "Jobs ended one by one for the latency phase.")
    var jobs = 500

    @Option(help: "Pause between two job endings in the latency phase, in milliseconds.")
    var pause = 10

    @Option(help: "Concurrent sends.")
    var concurrency = 64

    func run() async throws {
        try await database.withPool(connections: 12, label: "longhaul.bench.webhooks") { pool, logger in
            try await Migrator(pool: pool).migrate(logger: logger)
            let receiver = BenchReceiver()
            let receiverGroup = ServiceGroup(configuration: .init(services: [receiver.application(logger: logger)], logger: logger))
            let running = Task { try await receiverGroup.run() }
            let port = await receiver.port()
            let store = JobStore(pool: pool)
            let queue = JobQueue(pool: pool)
            let project = try await ProjectStore(pool: pool).create(
                NewProject(slug: "bench-\(UInt32.random(in: 0 ... .max))", maxInFlight: 100_000))
            _ = try await WebhookStore(pool: pool).addEndpoint(projectID: project.id, url: "http://127.0.0.1:\(port)/hook")

            var configuration = WorkerConfiguration()
            configuration.deliverConcurrency = concurrency
            configuration.webhookAddressPolicy = try WebhookAddressPolicy(allowlist: "127.0.0.0/8")
            let workers = WorkerGroup(queue: queue, gateway: NoGateway(), roles: [.deliver], configuration: configuration, logger: logger)
            let group = ServiceGroup(configuration: .init(services: [workers], logger: logger))
            let deliverer = Task { try await group.run() }

            try await measureThroughput(pool: pool, project: project, port: port, receiver: receiver)
            try await measureLatency(store: store, queue: queue, project: project, receiver: receiver)

            await group.triggerGracefulShutdown()
            _ = await deliverer.result
            await receiverGroup.triggerGracefulShutdown()
            _ = await running.result
        }
    }

    /// Throughput: a backlog of deliveries, written at once, drained by the Deliverer.
    private func measureThroughput(pool: PostgresPool, project: Project, port: Int, receiver: BenchReceiver) async throws {
        let clock = ContinuousClock()
        let body = #"{"type":"job.completed","timestamp":"2026-08-01T00:00:00.000Z","data":{"id":"job_bench","object":"job"}}"#
        let start = clock.now
        // Raw SQL on purpose: a bulk seed in one statement, which no store offers (the outbox rows
        // are written one job at a time). BenchmarkCommandTests runs it against the migrations.
        try await pool.query(
            """
            INSERT INTO deliveries (public_id, project_id, endpoint_id, url, event_type, body)
            SELECT 'msg_bench_' || \(project.id) || '_' || g, \(project.id),
                   (SELECT id FROM webhook_endpoints WHERE project_id = \(project.id)),
                   'http://127.0.0.1:' || \(port) || '/hook', 'job.completed', \(body)
            FROM generate_series(1, \(deliveries)) g
            """)
        try await pool.notify(QueueChannel.deliveries)
        while receiver.count < deliveries {
            try await Task.sleep(for: .milliseconds(5))
        }
        let seconds = (clock.now - start).inSeconds
        print(
            String(
                format: "throughput: %d deliveries in %.2f s = %.0f deliveries/s (concurrency %d, attempts logged)",
                deliveries, seconds, Double(deliveries) / seconds, concurrency))
    }

    /// Latency: jobs end one by one through the real finalize path; the receiver notes when
    /// each job's webhook arrives, the store when the job ended.
    private func measureLatency(store: JobStore, queue: JobQueue, project: Project, receiver: BenchReceiver) async throws {
        let enqueued = try await store.enqueue(
            try (0..<jobs).map { index in
                try JobRequest(document: "Bench document \(index).").validated(
                    defaultModel: "openai.gpt-oss-120b", checkModel: { _ in nil })
            }, project: project)
        let claimed = try await queue.claimJobs(worker: "bench", limit: jobs, lease: .seconds(600))
        try await queue.recordSubmissions(
            claimed.map {
                .accepted(
                    jobID: $0.id, attempt: $0.attempt, responseID: "resp_\($0.id)", remoteStatus: "in_progress", firstPollIn: .zero,
                    startedAt: Date())
            },
            worker: "bench")
        let polls = try await queue.claimPolls(worker: "bench", limit: jobs, lease: .seconds(600))
        for poll in polls {
            _ = try await queue.recordPolls(
                [
                    .finished(
                        jobID: poll.id, attempt: poll.attempt,
                        RemoteResult(state: .completed, remoteStatus: "completed", outputText: "Done."))
                ],
                worker: "bench")
            try await Task.sleep(for: .milliseconds(pause))
        }
        let ids = Set(enqueued.map(\.publicID))
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while receiver.arrivals(of: ids).count < ids.count && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let arrivals = receiver.arrivals(of: ids)
        var delays: [Double] = []
        for job in try await store.jobs(ids: enqueued.map(\.id)) {
            if let arrived = arrivals[job.publicID], let ended = job.finishedAt {
                delays.append((arrived - ended.timeIntervalSince1970) * 1000)
            }
        }
        delays.sort()
        func percentile(_ p: Double) -> Double { delays.isEmpty ? .nan : delays[min(delays.count - 1, Int(Double(delays.count) * p))] }
        print(
            String(
                format: "latency: %d of %d job webhooks, terminal commit to arrival p50 %.1f ms, p99 %.1f ms, max %.1f ms "
                    + "(one job every %d ms)",
                delays.count, jobs, percentile(0.5), percentile(0.99), delays.last ?? .nan, pause))
    }
}

/// A local receiver that answers 200 at once and notes when each job's webhook arrived.
final class BenchReceiver: Sendable {
    private let received = Atomic(0)
    private let arrived = Mutex<[String: Double]>([:])
    private let bound = AsyncStream<Int>.makeStream()

    var count: Int { received.load(ordering: .relaxed) }

    func port() async -> Int {
        var iterator = bound.stream.makeAsyncIterator()
        return await iterator.next() ?? 0
    }

    func arrivals(of ids: Set<String>) -> [String: Double] {
        arrived.withLock { $0.filter { ids.contains($0.key) } }
    }

    /// The receiving server, to run as a service.
    func application(logger: Logger) -> some Service {
        let router = Router()
        router.post("/hook") { [self] request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            let now = Date().timeIntervalSince1970
            received.add(1, ordering: .relaxed)
            if let event = try? JSONDecoder().decode(BenchEvent.self, from: Data(String(buffer: body).utf8)), event.data.id != "job_bench" {
                arrived.withLock { $0[event.data.id] = now }
            }
            return .ok
        }
        let continuation = bound.continuation
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), backlog: 4096),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
    }

    private struct BenchEvent: Decodable {
        struct Payload: Decodable { var id: String }
        var data: Payload
    }
}

/// The bench runs only the Deliverer; the worker group still wants a gateway.
struct NoGateway: ResponsesGateway {
    func submit(_ job: ClaimedJob) async throws(RemoteCallError) -> RemoteSubmission {
        throw .permanent(AttemptError(code: "unused", message: "the webhook bench talks to no Mantle"))
    }
    func retrieve(_ poll: ClaimedPoll) async throws(RemoteCallError) -> RemoteSnapshot {
        throw .permanent(AttemptError(code: "unused", message: "the webhook bench talks to no Mantle"))
    }
    func cancel(_ poll: ClaimedPoll) async throws(RemoteCallError) -> RemoteSnapshot {
        throw .permanent(AttemptError(code: "unused", message: "the webhook bench talks to no Mantle"))
    }
}
