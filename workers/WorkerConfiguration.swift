import Foundation
public import LonghaulCore

/// How a worker process runs its loops; every figure has a default that suits one machine.
public struct WorkerConfiguration: Sendable {
    /// Identifies this process in leases and attempts: `host:pid:random`.
    public var workerID: String
    /// Concurrent create calls.
    public var submitConcurrency: Int = 64
    /// Concurrent retrieve calls.
    public var pollConcurrency: Int = 128
    /// A claimed submission belongs to this worker for this long, renewed by its heartbeat.
    public var submitLease: Duration = .seconds(30)
    /// A claimed poll comes due again after this long if its worker vanishes.
    public var pollLease: Duration = .seconds(30)
    public var heartbeatInterval: Duration = .seconds(10)
    public var pollSchedule = PollSchedule()
    public var retryPolicy = RetryPolicy()
    /// Outcomes are written in batches: after this long, or sooner when `flushSize` are waiting.
    public var flushInterval: Duration = .milliseconds(10)
    public var flushSize: Int = 500
    /// How often a loop looks for work when no notification woke it (NOTIFY is only a hint).
    public var submitIdleInterval: Duration = .seconds(1)
    public var pollIdleInterval: Duration = .milliseconds(250)
    public var maintenanceInterval: Duration = .seconds(5)
    public var pruneInterval: Duration = .seconds(60)
    /// Finished jobs and deliveries are deleted after this long.
    public var retention: Duration = .seconds(7 * 24 * 3600)
    /// On SIGTERM, in-flight calls get this long to finish before they are released.
    public var shutdownGrace: Duration = .seconds(7)

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

    public static func makeWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        let suffix = String(UInt32.random(in: 0 ... .max), radix: 36)
        return "\(host):\(ProcessInfo.processInfo.processIdentifier):\(suffix)"
    }
}
