import Postgres
import Synchronization

/// Sends at most one NOTIFY per channel per `interval` from this process, as River does: a
/// notification is only a hint (the loops also poll), and every NOTIFY takes a cluster-wide
/// lock at commit, so a storm of enqueues must not become a storm of notifications.
///
/// The interval bounds how long work committed just after a notification waits for the next
/// one: at 100 ms a job's webhook went out 55 ms (p50) after its commit; at 20 ms, at most 50
/// notifications per second and channel leave this process, which costs nothing measurable.
final class NotifyLimiter: Sendable {
    private let lastSent = Mutex<[String: ContinuousClock.Instant]>([:])
    private let interval: Duration

    init(interval: Duration = .milliseconds(20)) {
        self.interval = interval
    }

    /// True when `channel` may be notified now (and records that it was).
    func shouldNotify(_ channel: String) -> Bool {
        let now = ContinuousClock.now
        return lastSent.withLock { sent in
            if let last = sent[channel], now - last < interval { return false }
            sent[channel] = now
            return true
        }
    }

    /// NOTIFY `channel` inside the caller's transaction, unless this process did so a moment ago.
    /// The NOTIFY goes out with the transaction's next statement or its COMMIT, not on its own.
    func notify(_ channel: String, on connection: PostgresConnection) throws {
        guard shouldNotify(channel) else { return }
        try connection.sendWithNextStatement("SELECT pg_notify(\(channel), '')")
    }
}

/// NOTIFY channels: hints for the loops, never the source of truth (they also poll).
public enum QueueChannel {
    public static let jobs = "longhaul_jobs"
    public static let polls = "longhaul_polls"
    public static let deliveries = "longhaul_deliveries"
    /// A split job has a step due (cut, merge, end): wakes the Coordinator.
    public static let splits = "longhaul_splits"
}
