import Foundation
import Logging
import LonghaulCore
import Postgres
import ServiceLifecycle
import TestSupport
import Workers

/// A database with a project, and Deliverers run on demand (roles: deliver only) against it.
struct DeliveryHarness {
    let fixture: StoreFixture
    let project: Project
    let deliveries: DeliveryStore
    let webhooks: WebhookStore

    static func make(_ name: String) async throws -> DeliveryHarness {
        let fixture = try await StoreFixture.make(name)
        let project = try await fixture.project("hooks")
        return DeliveryHarness(
            fixture: fixture, project: project, deliveries: DeliveryStore(pool: fixture.pool), webhooks: WebhookStore(pool: fixture.pool))
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

    /// Starts a worker running only the Deliverer; cancel the task to kill it, or stop it gracefully.
    func startDeliverer(_ configuration: WorkerConfiguration) -> RunningDeliverer {
        var logger = Logger(label: "deliverer")
        logger.logLevel = .warning
        let group = WorkerGroup(
            queue: fixture.queue, gateway: UnusedGateway(), roles: [.deliver], configuration: configuration, logger: logger)
        let serviceGroup = ServiceGroup(configuration: .init(services: [group], logger: logger))
        return RunningDeliverer(serviceGroup: serviceGroup, task: Task { try await serviceGroup.run() })
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

    func close() async {
        await fixture.close()
    }
}

/// A Deliverer-only worker running in this process.
struct RunningDeliverer {
    let serviceGroup: ServiceGroup
    let task: Task<Void, any Error>

    func stop() async {
        await serviceGroup.triggerGracefulShutdown()
        _ = await task.result
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
