import Synchronization

/// Wakes a loop: any number of `signal()`s before the loop looks coalesce into one wake-up, so a
/// burst of notifications or finished tasks costs one pass of the loop, never one per event.
///
/// One waiter at a time (the loop that owns it). Built on a lock and a continuation rather than an
/// `AsyncStream`: cancelling a task blocked in a stream's `next()` finishes the stream for good,
/// so after the first timeout every wait would return at once and the loop would spin.
final class WakeSignal: Sendable {
    private struct State {
        /// A signal arrived while nobody waited; the next wait consumes it and returns at once.
        var pending = false
        var waiter: (id: UInt64, continuation: CheckedContinuation<Void, Never>)?
        /// A waiter cancelled before it could register: it must not register and sleep.
        var cancelledID: UInt64?
        var lastID: UInt64 = 0
    }

    private let state = Mutex(State())

    init() {}

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Returns at the next signal (or at once if one is pending), or after `timeout`, whichever
    /// comes first.
    func wait(timeout: Duration) async {
        let signalled = state.withLock { state in
            defer { state.pending = false }
            return state.pending
        }
        if signalled { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.nextSignal() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Suspends until `signal()`, or until the task is cancelled.
    private func nextSignal() async {
        let id = state.withLock { state in
            state.lastID &+= 1
            return state.lastID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || state.cancelledID == id {
                        state.pending = false
                        state.cancelledID = nil
                        return true
                    }
                    state.waiter = (id, continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let waiter = state.waiter, waiter.id == id else {
                    state.cancelledID = id
                    return nil
                }
                state.waiter = nil
                return waiter.continuation
            }
            waiter?.resume()
        }
    }
}
