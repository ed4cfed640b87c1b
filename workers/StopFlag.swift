import Synchronization

/// Set once when the worker must stop claiming (SIGTERM, the end of a batch run).
final class StopFlag: Sendable {
    private let value = Atomic(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
