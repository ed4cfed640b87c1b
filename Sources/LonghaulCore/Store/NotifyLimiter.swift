import Synchronization

/// Sends at most one NOTIFY per channel per `interval` from this process, as River does: a
/// notification is only a hint (the loops also poll), and every NOTIFY takes a cluster-wide
/// lock at commit, so a storm of enqueues must not become a storm of notifications.
final class NotifyLimiter: Sendable {
    private let lastSent = Mutex<[String: ContinuousClock.Instant]>([:])
    private let interval: Duration

    init(interval: Duration = .milliseconds(100)) {
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
}
