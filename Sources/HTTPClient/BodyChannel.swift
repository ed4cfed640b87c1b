import Foundation

/// A streamed body shared by the owner thread (which pushes what libcurl received) and the task
/// reading it: a `BodyBuffer` and the reader's waiting continuation behind one lock.
final class BodyChannel: Sendable {
    private struct State: Sendable {
        var buffer: BodyBuffer
        var waiter: CheckedContinuation<Void, Never>?

        mutating func takeWaiter() -> CheckedContinuation<Void, Never>? {
            defer { waiter = nil }
            return waiter
        }
    }

    private let state: Locked<State>

    init(highWater: Int) {
        state = Locked(State(buffer: BodyBuffer(highWater: highWater)))
    }

    /// Owner thread: bytes arrived. Wakes the reader when they were kept.
    func push(_ bytes: UnsafeRawBufferPointer) -> BodyBuffer.PushAction {
        let (action, waiter) = state.withLock { state in
            let action = state.buffer.push(bytes)
            return (action, action == .accepted ? state.takeWaiter() : nil)
        }
        waiter?.resume()
        return action
    }

    /// Owner thread: the transfer ended (nil: complete). Wakes the reader.
    func finish(_ error: HTTPClientError?) {
        let waiter = state.withLock { state in
            state.buffer.finish(error)
            return state.takeWaiter()
        }
        waiter?.resume()
    }

    /// Reader: what there is to take.
    func take() -> BodyBuffer.TakeAction {
        state.withLock { $0.buffer.take() }
    }

    /// Reader: returns once there is something to take (at once if there already is).
    func waitUntilReadable() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let readable = state.withLock { state in
                if state.buffer.isReadable { return true }
                state.waiter = continuation
                return false
            }
            if readable { continuation.resume() }
        }
    }

    /// Reader gone: drops the buffer; returns whether the transfer was still running.
    func abandon() -> Bool {
        state.withLock { state in
            state.buffer.abandon()
            return !state.buffer.isFinished
        }
    }
}
