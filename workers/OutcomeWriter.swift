import Logging
import LonghaulCore
import Synchronization

/// Collects the outcomes of many concurrent calls and writes them in batches — one transaction
/// for many jobs — because one commit per job would cap this machine near 600 jobs/s.
///
/// A failed write keeps its batch and tries again with backoff (writes are guarded, so applying
/// one twice is harmless); `drain()` writes what is left at shutdown. A write the batch itself
/// breaks (`WriteFailure.isolate`) is retried in halves until the one outcome at fault is alone,
/// and that one is dropped with an error log: its job's lease runs out and the job is claimed
/// afresh, where retrying it would stall every outcome behind it for ever.
final class OutcomeWriter<Outcome: Sendable>: Sendable {
    private let pending = Mutex<[Outcome]>([])
    /// Outcomes taken from `pending` by a write not yet finished.
    private let writing = Mutex(0)
    /// The batch size while a bad outcome is being isolated (`size` otherwise).
    private let batchLimit: Mutex<Int>
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
        self.batchLimit = Mutex(size)
    }

    func add(_ outcome: Outcome) {
        let count = pending.withLock { buffer in
            buffer.append(outcome)
            return buffer.count
        }
        if count == 1 || count >= size { wake.signal() }
    }

    var count: Int { pending.withLock { $0.count } }

    /// Outcomes not yet written: pending, or in a write that has not finished.
    var unwritten: Int { count + writing.withLock { $0 } }

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
            let limit = batchLimit.withLock { $0 }
            let batch = pending.withLock { buffer -> [Outcome] in
                let taken = Array(buffer.prefix(limit))
                buffer.removeFirst(taken.count)
                writing.withLock { $0 += taken.count }
                return taken
            }
            guard !batch.isEmpty else { return }
            defer { writing.withLock { $0 -= batch.count } }
            do {
                try await write(batch)
                // Isolation ends when what was pending has been written.
                if limit < size && count == 0 { batchLimit.withLock { $0 = size } }
            } catch {
                if WriteFailure.of(error) == .isolate && !Task.isCancelled {
                    isolate(batch, after: error)
                    continue
                }
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

    /// Puts `batch` back to be written in halves, or drops it when it is one outcome alone.
    private func isolate(_ batch: [Outcome], after error: any Error) {
        guard batch.count > 1 else {
            logger.error(
                "dropping one outcome whose write fails by itself; its job's lease runs out and the job is claimed afresh",
                metadata: ["error": "\(error)", "outcome": "\(batch[0])"])
            batchLimit.withLock { $0 = size }
            return
        }
        logger.warning(
            "writing \(batch.count) outcomes failed on one of them; writing smaller batches to find it", metadata: ["error": "\(error)"])
        batchLimit.withLock { $0 = max(1, batch.count / 2) }
        pending.withLock { $0.insert(contentsOf: batch, at: 0) }
    }
}
