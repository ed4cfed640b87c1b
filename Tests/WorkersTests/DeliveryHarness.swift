import Foundation
import LonghaulCore
import Postgres
import Synchronization
import TestSupport
import Workers

/// A database with a project, a webhook receiver (the Python one, verifying signatures), and
/// Deliverers (roles: deliver only) run on demand against them.
final class DeliveryHarness: Sendable {
    let fixture: StoreFixture
    let project: Project
    let deliveries: DeliveryStore
    let webhooks: WebhookStore
    let receiver: WebhookReceiver
    /// Every Deliverer started, so that none outlives the test however it ends.
    private let deliverers = Mutex<[RunningWorkers]>([])

    private init(fixture: StoreFixture, project: Project, receiver: WebhookReceiver) {
        self.fixture = fixture
        self.project = project
        self.deliveries = DeliveryStore(pool: fixture.pool)
        self.webhooks = WebhookStore(pool: fixture.pool)
        self.receiver = receiver
    }

    /// Runs `body` on a fresh database with the project `hooks` and a receiver knowing no secret
    /// yet; then stops every Deliverer still running, the receiver and the fixture, however `body` ends.
    static func with<T>(_ name: String, _ body: (DeliveryHarness) async throws -> T) async throws -> T {
        try await StoreFixture.with(name) { fixture in
            let project = try await fixture.project("hooks")
            return try await WebhookReceiver.with(secrets: []) { receiver in
                let harness = DeliveryHarness(fixture: fixture, project: project, receiver: receiver)
                return try await withResource(harness, close: { await $0.stopDeliverers() }, body)
            }
        }
    }

    /// An outbox row as the finalizer writes it, due now (or after `delay`).
    @discardableResult
    func enqueue(url: String, endpoint: WebhookEndpoint? = nil, delay: Duration = .zero, type: String = "job.completed") async throws -> String {
        let id = "msg_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let body = #"{"type":"\#(type)","timestamp":"2026-08-01T12:00:00.000Z","data":{"id":"job_test","object":"job"}}"#
        try await fixture.pool.query("""
            INSERT INTO deliveries (public_id, project_id, endpoint_id, url, event_type, body, next_attempt_at)
            VALUES (\(id), \(project.id), (SELECT id FROM webhook_endpoints WHERE public_id = \(endpoint?.publicID)), \(url), \(type), \(body),
                    now() + make_interval(secs => \(Double(delay / .milliseconds(1)) / 1000)))
            """)
        return id
    }

    /// Starts a worker running only the Deliverer; cancel the task to kill it, or stop it gracefully
    /// (the scope's end stops it otherwise).
    @discardableResult
    func startDeliverer(_ configuration: WorkerConfiguration) -> RunningWorkers {
        let deliverer = RunningWorkers.start(
            "deliverer", queue: fixture.queue, gateway: UnusedGateway(), roles: [.deliver], configuration: configuration)
        deliverers.withLock { $0.append(deliverer) }
        return deliverer
    }

    func detail(_ id: String) async throws -> DeliveryDetail {
        try await deliveries.detail(publicID: id, projectID: nil)
    }

    /// Waits until the delivery is in `state`, or fails after `timeout`.
    @discardableResult
    func waitForState(_ id: String, _ state: DeliveryState, timeout: Duration = .seconds(30)) async throws -> DeliveryDetail {
        let deadline = ContinuousClock.now + timeout
        while true {
            let detail = try await detail(id)
            if detail.delivery.state == state { return detail }
            guard ContinuousClock.now < deadline else {
                throw HarnessTimeout(description: "delivery \(id) is \(detail.delivery.state) after \(timeout), not \(state): \(detail.attempts)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Stops every Deliverer started, in the order they were (stopping one that has stopped does nothing).
    private func stopDeliverers() async {
        for deliverer in deliverers.withLock({ $0 }) { await deliverer.stop() }
    }
}

extension WorkerConfiguration {
    /// Fast retries and the loopback allowlist (the receiver runs on 127.0.0.1).
    static func delivering(schedule: String = "0,100ms,100ms,100ms;jitter=0", allowLoopback: Bool = true) throws -> WorkerConfiguration {
        var configuration = WorkerConfiguration.fast
        configuration.webhookSchedule = try WebhookRetrySchedule(parsing: schedule)
        configuration.webhookAddressPolicy = allowLoopback ? try WebhookAddressPolicy(allowlist: "127.0.0.0/8,::1/128") : WebhookAddressPolicy()
        configuration.deliverIdleInterval = .milliseconds(50)
        configuration.webhookTimeout = .seconds(10)
        return configuration
    }
}

/// The Deliverer never talks to Mantle; a worker group still needs a gateway.
struct UnusedGateway: ResponsesGateway {
    func submit(_ job: ClaimedJob) async throws(RemoteCallError) -> RemoteSubmission {
        throw .permanent(AttemptError(code: "unused", message: "no Mantle in delivery tests"))
    }
    func retrieve(_ poll: ClaimedPoll) async throws(RemoteCallError) -> RemoteSnapshot {
        throw .permanent(AttemptError(code: "unused", message: "no Mantle in delivery tests"))
    }
    func cancel(_ poll: ClaimedPoll) async throws(RemoteCallError) -> RemoteSnapshot {
        throw .permanent(AttemptError(code: "unused", message: "no Mantle in delivery tests"))
    }
}
