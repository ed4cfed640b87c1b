import Dispatch

/// Runs a blocking call (a syscall, a C library call, a wait) on a GCD thread, never on Swift's
/// cooperative pool, and resumes the caller when it returns.
public func runBlocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try body() })
        }
    }
}
