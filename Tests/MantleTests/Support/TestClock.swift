import Foundation
import Synchronization

/// A wall clock that tests set and advance.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ date: Date) { current = Mutex(date) }

    var now: Date { current.withLock { $0 } }

    func advance(seconds: Double) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// A closure for the `now:` parameters.
    var closure: @Sendable () -> Date { { self.now } }
}
