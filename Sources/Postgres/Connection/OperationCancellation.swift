import Synchronization

/// Whether one operation on a connection has started, finished or been cancelled, so that a task
/// cancellation sends `PQcancel` only while that operation's statement is running.
///
/// The cancel request is sent while holding the lock, and the connection's queue takes the same
/// lock when the operation ends; so a late cancel can never hit the next caller's statement.
final class OperationCancellation: Sendable {
    enum State {
        case pending
        case running
        case cancelled(whileRunning: Bool)
        case finished
    }

    let state = Mutex(State.pending)

    /// Called on the connection's queue before the operation; false when it was cancelled first.
    func start() -> Bool {
        state.withLock { state in
            if case .cancelled = state { return false }
            state = .running
            return true
        }
    }

    /// Called on the connection's queue after the operation; true when a cancel was sent during it.
    func finish() -> Bool {
        state.withLock { state in
            defer { state = .finished }
            if case .cancelled(whileRunning: true) = state { return true }
            return false
        }
    }

    /// Called off the cooperative pool: marks the operation cancelled and, if its statement is
    /// running, sends the cancel request through `sendCancel` while still holding the lock.
    func cancel(sendCancel: () -> Void) {
        state.withLock { state in
            switch state {
            case .pending:
                state = .cancelled(whileRunning: false)
            case .running:
                state = .cancelled(whileRunning: true)
                sendCancel()
            case .cancelled, .finished:
                break
            }
        }
    }
}
