import Synchronization

/// A short memory of lookups every request repeats (its caller, its project, the project's model
/// limits): a value is kept for `lifetime`, then looked up afresh. Misses that find nothing are
/// not kept, so guessing tokens grows nothing; at `capacity` entries the expired ones go, and if
/// none has expired, all of them.
///
/// Requests that miss the same key while its lookup runs wait for that one lookup instead of each
/// running its own: at 64 connections every entry expired under 64 requests at once, and their
/// 64 × 3 lookups a second queued on the pool ahead of the enqueues (`bench/api.sh`'s p99).
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private enum Slot {
        case kept(Value, expires: ContinuousClock.Instant)
        case loading(Task<Value?, any Error>)

        /// Fresh, or a lookup under way.
        func isUsable(at now: ContinuousClock.Instant) -> Bool {
            switch self {
            case .kept(_, let expires): expires > now
            case .loading: true
            }
        }
    }

    private struct State {
        var slots: [Key: Slot] = [:]
        /// Raised by `removeAll`: a lookup that began before it keeps nothing (it may have read
        /// what the write that called `removeAll` changed).
        var generation = 0
    }

    private let state = Mutex(State())
    let lifetime: Duration
    let capacity: Int

    init(lifetime: Duration, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The value kept for `key` while it is fresh, else what `load` finds (kept unless nil); a
    /// lookup of `key` already running is awaited instead. A lookup that fails fails each request
    /// waiting for it, and is not kept.
    func value(for key: Key, load: @escaping @Sendable () async throws -> Value?) async throws -> Value? {
        let now = ContinuousClock.now
        let found: Slot = state.withLock { state in
            switch state.slots[key] {
            case .some(let slot) where slot.isUsable(at: now):
                return slot
            default:
                let generation = state.generation
                let task = Task { try await self.loaded(key, generation: generation, load: load) }
                state.slots[key] = .loading(task)
                return .loading(task)
            }
        }
        switch found {
        case .kept(let value, _): return value
        case .loading(let task): return try await task.value
        }
    }

    /// Runs `load` and keeps what it found, unless `removeAll` ran meanwhile.
    private func loaded(_ key: Key, generation: Int, load: @Sendable () async throws -> Value?) async throws -> Value? {
        let value: Value?
        do {
            value = try await load()
        } catch {
            state.withLock { state in
                if state.generation == generation { state.slots.removeValue(forKey: key) }
            }
            throw error
        }
        let now = ContinuousClock.now
        state.withLock { state in
            guard state.generation == generation else { return }
            guard let value else {
                state.slots.removeValue(forKey: key)
                return
            }
            if state.slots.count >= capacity {
                state.slots = state.slots.filter { _, slot in
                    if case .kept(_, let expires) = slot { return expires > now }
                    return true
                }
                if state.slots.count >= capacity { state.slots.removeAll() }
            }
            state.slots[key] = .kept(value, expires: now + lifetime)
        }
        return value
    }

    /// Forgets everything: a write on this server may have changed what was kept.
    func removeAll() {
        state.withLock { state in
            state.slots.removeAll()
            state.generation += 1
        }
    }
}
