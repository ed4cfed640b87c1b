import Synchronization

/// Set once when the worker must stop claiming (SIGTERM, the end of a batch run).
final class StopFlag: Sendable {
    private let value = Atomic(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }

    /// Sleeps for `duration`, or less: it returns within a tenth of a second of the flag being
    /// set (or the task being cancelled), so a loop between passes never holds up shutdown.
    func sleep(for duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while !isSet && !Task.isCancelled && ContinuousClock.now < deadline {
            try? await Task.sleep(for: min(.milliseconds(100), deadline - ContinuousClock.now))
        }
    }
}
