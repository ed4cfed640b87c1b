import Foundation

/// A value behind a pthread mutex (`NSLock`).
///
/// Not `Synchronization.Mutex`: on Linux its locking runs in uninstrumented library code, so
/// ThreadSanitizer sees no ordering and reports every access as a race; with a pthread mutex the
/// sanitizer checks our inbox for real. `@unchecked Sendable` is safe because `value` is only
/// touched inside `withLock`, and it is itself `Sendable`.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
