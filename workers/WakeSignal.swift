import Synchronization

/// Wakes a loop: any number of `signal()`s before the loop looks coalesce into one wake-up, so a
/// burst of notifications or finished tasks costs one pass of the loop, never one per event.
///
/// A latched signal (`init(latched: true)`) stays signalled: every wait after the first signal
/// returns at once, which is what a stop flag needs.
///
/// Built on a lock and continuations rather than an `AsyncStream`: cancelling a task that waits
/// in an `AsyncStream`'s `next()` finishes the stream, so after the first timed-out wait every
/// later wait returned at once, and an idle worker claimed in a tight loop.
final class WakeSignal: Sendable {
    private struct State {
        /// A signal no wait has consumed yet.
        var pending = false
        /// The waits in progress, by id; a signal ends them all.
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())
    private let latched: Bool

    init(latched: Bool = false) {
        self.latched = latched
    }

    func signal() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if latched { state.pending = true }
            guard !state.waiters.isEmpty else {
                state.pending = true
                return []
            }
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns at the next signal (at once if one is pending), or after `timeout`, whichever
    /// comes first, or when the task is cancelled.
    func wait(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.nextSignal() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Waits for a signal or the cancellation of the task, whichever comes first.
    private func nextSignal() async {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Checked under the lock: a cancellation is either seen here or finds the waiter registered.
                let resumeNow = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    if state.pending {
                        if !latched { state.pending = false }
                        return true
                    }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
