import Synchronization

/// A short memory of lookups every request repeats (its caller, its project, the project's model
/// limits): a value is kept for `lifetime`, then looked up afresh. Misses that find nothing are
/// not kept, so guessing tokens grows nothing; at `capacity` entries the expired ones go, and if
/// none has expired, all of them.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[Key: Entry]>([:])
    let lifetime: Duration
    let capacity: Int

    init(lifetime: Duration, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The value kept for `key` while it is fresh, else what `load` finds (kept unless nil).
    /// Two requests that miss at once both load: a lookup, not worth a wait.
    func value(for key: Key, load: () async throws -> Value?) async throws -> Value? {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[key] }), entry.expires > now { return entry.value }
        guard let value = try await load() else {
            entries.withLock { _ = $0.removeValue(forKey: key) }
            return nil
        }
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= capacity { entries.removeAll() }
            }
            entries[key] = Entry(value: value, expires: now + lifetime)
        }
        return value
    }

    /// Forgets everything: a write on this server may have changed what was kept.
    func removeAll() {
        entries.withLock { $0.removeAll() }
    }
}
