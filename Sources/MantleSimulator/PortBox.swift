import Synchronization

/// The port a server bound, handed from the server's start-up callback to whoever waits for it.
final class PortBox: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Int, Never>])
        case resolved(Int)
    }

    private let state = Mutex(State.waiting([]))

    func resolve(_ port: Int) {
        let waiters: [CheckedContinuation<Int, Never>] = state.withLock { state in
            guard case .waiting(let waiters) = state else { return [] }
            state = .resolved(port)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    func value() async -> Int {
        await withCheckedContinuation { continuation in
            let resolved: Int? = state.withLock { state in
                switch state {
                case .resolved(let port): return port
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                }
            }
            if let resolved { continuation.resume(returning: resolved) }
        }
    }
}
