import Synchronization

/// How many calls a loop has in flight; shared between the loop and the tasks it starts.
final class InFlightCounter: Sendable {
    private let count = Atomic(0)
    var value: Int { count.load(ordering: .acquiring) }
    func add(_ amount: Int) { count.add(amount, ordering: .acquiringAndReleasing) }
}
