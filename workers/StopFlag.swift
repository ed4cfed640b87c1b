import Synchronization

/// Set once when the worker must stop claiming (SIGTERM, the end of a batch run).
final class StopFlag: Sendable {
    private let value = Atomic(false)
    /// Latched: once set, every sleep in progress ends and every later one returns at once.
    private let stopped = WakeSignal(latched: true)

    var isSet: Bool { value.load(ordering: .acquiring) }

    func set() {
        value.store(true, ordering: .releasing)
        stopped.signal()
    }

    /// Sleeps for `duration`, or until the flag is set or the task is cancelled, whichever is first.
    func sleep(for duration: Duration) async {
        await stopped.wait(timeout: duration)
    }
}
