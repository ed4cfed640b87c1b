import Logging
import Synchronization

/// Collects the outcomes of many concurrent calls and writes them in batches — one transaction
/// for many jobs — because one commit per job would cap this machine near 600 jobs/s.
///
/// A failed write keeps its batch and tries again with backoff (writes are guarded, so applying
/// one twice is harmless); `drain()` writes what is left at shutdown.
final class OutcomeWriter<Outcome: Sendable>: Sendable {
    private let pending = Mutex<[Outcome]>([])
    private let wake = WakeSignal()
    private let write: @Sendable ([Outcome]) async throws -> Void
    private let interval: Duration
    private let size: Int
    private let logger: Logger

    init(interval: Duration, size: Int, logger: Logger, write: @escaping @Sendable ([Outcome]) async throws -> Void) {
        self.interval = interval
        self.size = size
        self.logger = logger
        self.write = write
    }

    func add(_ outcome: Outcome) {
        let count = pending.withLock { buffer in
            buffer.append(outcome)
            return buffer.count
        }
        if count == 1 || count >= size { wake.signal() }
    }

    var count: Int { pending.withLock { $0.count } }

    /// Writes batches until the task is cancelled.
    func run() async {
        while !Task.isCancelled {
            await wake.wait(timeout: .seconds(1))
            if count < size { try? await Task.sleep(for: interval) }
            await flush()
        }
    }

    /// Writes everything pending, retrying failures until it succeeds or `deadline` passes.
    func drain(until deadline: ContinuousClock.Instant) async {
        while count > 0 && ContinuousClock.now < deadline {
            await flush()
            if count > 0 { try? await Task.sleep(for: .milliseconds(200)) }
        }
    }

    /// Writes what is pending in batches of `size`; after a failed write it puts the batch back,
    /// waits a moment and returns, so the caller's loop decides whether to go on.
    private func flush() async {
        while true {
            let batch = pending.withLock { buffer -> [Outcome] in
                let taken = Array(buffer.prefix(size))
                buffer.removeFirst(taken.count)
                return taken
            }
            guard !batch.isEmpty else { return }
            do {
                try await write(batch)
            } catch {
                // Cancelled at shutdown: `drain()` writes the batch, so this is no failure to report.
                if !Task.isCancelled {
                    logger.warning("writing \(batch.count) outcomes failed; will retry", metadata: ["error": "\(error)"])
                }
                pending.withLock { $0.insert(contentsOf: batch, at: 0) }
                try? await Task.sleep(for: .milliseconds(500))
                return
            }
        }
    }
}
