import Foundation
public import LonghaulCore

/// How a worker process runs its loops; every figure has a default that suits one machine.
public struct WorkerConfiguration: Sendable {
    /// Identifies this process in leases and attempts: `host:pid:random`.
    public var workerID: String
    /// Concurrent create calls.
    public var submitConcurrency: Int = 64
    /// Concurrent held streams (models without background mode), apart from the creates: a held
    /// stream takes a connection and a task for as long as the model writes (minutes), while
    /// using little CPU: 2,000 held at once cost a debug-built worker 162 MiB and 59 % of one core
    /// (`bench/held-streams.sh 2000 40`). 512 leaves room on a small machine and is more than one
    /// project's default `max_in_flight` (50) tenfold. Raise it for more; `max_in_flight` caps it too.
    public var streamConcurrency: Int = 512
    /// Concurrent retrieve calls.
    public var pollConcurrency: Int = 128
    /// A claimed submission belongs to this worker for this long, renewed by its heartbeat.
    public var submitLease: Duration = .seconds(30)
    /// A claimed poll comes due again after this long if its worker vanishes.
    public var pollLease: Duration = .seconds(30)
    public var heartbeatInterval: Duration = .seconds(10)
    /// Background Responses whose streams one worker holds (`background: true, stream: true`), so
    /// their end is seen the moment it comes; the rest are polled. On HTTP/1.1 each stream holds a
    /// connection of the 256 per host, beside 64 creates and 128 polls; 0 polls every Response.
    public var maxBackgroundStreams: Int = 64
    /// Spans for each job's claim, create, polls, terminal write and webhook attempts, in the
    /// trace stored with the job (the process's tracer exports them). Off: no span is made and
    /// no trace context is read.
    public var tracing = false
    /// How often held streams checkpoint their text and look for cancels (one statement for all).
    public var checkpointInterval: Duration = .seconds(5)
    public var pollSchedule = PollSchedule()
    /// How often the worker relearns how long each project's model takes, for polls aimed at a
    /// Response's expected end (`ResponseDurationModel`); nil polls by age alone.
    public var durationRefreshInterval: Duration? = .seconds(30)
    public var retryPolicy = RetryPolicy()
    /// Outcomes are written in batches: after this long, or sooner when `flushSize` are waiting.
    public var flushInterval: Duration = .milliseconds(10)
    public var flushSize: Int = 500
    /// How often a loop looks for work when no notification woke it (NOTIFY is only a hint).
    public var submitIdleInterval: Duration = .seconds(1)
    public var pollIdleInterval: Duration = .milliseconds(250)
    public var maintenanceInterval: Duration = .seconds(5)
    /// How often the Coordinator looks for split jobs whose children changed when no notification
    /// woke it (a child's end notifies `longhaul_splits`): every 250 ms it was 4 commits a second
    /// per idle worker, the most of any loop.
    public var coordinateIdleInterval: Duration = .seconds(2)
    public var pruneInterval: Duration = .seconds(60)
    /// Finished jobs and deliveries are deleted after this long.
    public var retention: Duration = .seconds(7 * 24 * 3600)
    /// On SIGTERM, in-flight calls get this long to finish before they are released.
    public var shutdownGrace: Duration = .seconds(7)

    /// Concurrent webhook sends.
    public var deliverConcurrency: Int = 64
    /// A claimed delivery comes due again after this long if its worker vanishes mid-send; longer
    /// than `webhookTimeout`, so a live worker never has its delivery sent twice.
    public var deliverLease: Duration = .seconds(60)
    /// How often the Deliverer looks for due retries when no notification woke it.
    public var deliverIdleInterval: Duration = .seconds(1)
    /// When attempts go; `LONGHAUL_WEBHOOK_SCHEDULE` overrides it (see `fromEnvironment`).
    public var webhookSchedule: WebhookRetrySchedule = .standard
    /// A receiver must answer within this (Standard Webhooks recommends 15–30 s).
    public var webhookTimeout: Duration = .seconds(15)
    public var webhookConnectTimeout: Duration = .seconds(5)
    /// An endpoint whose every delivery failed for this long is disabled (Svix: 5 days).
    public var webhookDisableAfter: Duration = .seconds(5 * 24 * 3600)
    /// Which addresses webhooks may reach; `LONGHAUL_WEBHOOK_ALLOW_CIDRS` widens it.
    public var webhookAddressPolicy = WebhookAddressPolicy()

    public init(workerID: String = WorkerConfiguration.makeWorkerID()) {
        self.workerID = workerID
    }

    /// This configuration with both leases set to `lease`, the heartbeat at a third of it and
    /// maintenance passes at least every half lease, so a vanished worker's claims return within
    /// about one and a half leases. Short leases are for tests and impatient operators; a live
    /// worker must renew within the lease, so keep it well above a loaded database's latency.
    public func withLease(_ lease: Duration) -> WorkerConfiguration {
        var configuration = self
        configuration.submitLease = lease
        configuration.pollLease = lease
        configuration.heartbeatInterval = lease / 3
        configuration.maintenanceInterval = min(maintenanceInterval, lease / 2)
        return configuration
    }

    /// The defaults with the webhook settings the environment gives (`LONGHAUL_WEBHOOK_SCHEDULE`,
    /// `LONGHAUL_WEBHOOK_ALLOW_CIDRS`); throws naming the variable that is malformed.
    public static func fromEnvironment() throws -> WorkerConfiguration {
        try fromEnvironment(ProcessInfo.processInfo.environment)
    }

    /// The defaults with the webhook settings `environment` gives.
    public static func fromEnvironment(_ environment: [String: String]) throws -> WorkerConfiguration {
        var configuration = WorkerConfiguration()
        configuration.webhookSchedule = try WebhookRetrySchedule.fromEnvironment(environment)
        configuration.webhookAddressPolicy = try WebhookAddressPolicy.fromEnvironment(environment)
        return configuration
    }

    /// `host:pid:random`, unique enough to tell workers apart in leases.
    public static func makeWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        let suffix = String(UInt32.random(in: 0 ... .max), radix: 36)
        return "\(host):\(ProcessInfo.processInfo.processIdentifier):\(suffix)"
    }
}
