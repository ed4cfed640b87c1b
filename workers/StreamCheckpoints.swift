import Logging
import LonghaulCore
import Synchronization

/// The held streams of this worker, and their checkpoints: every `interval` it writes the text
/// each stream produced since the last round — all streams in one statement, not one write per
/// token — and asks which of them a user cancelled, then cancels those streams.
final class StreamCheckpoints: Sendable {
    private struct Held: Sendable {
        var attempt: Int
        var cancel: @Sendable () -> Void
        /// Text not yet written, or nil when the last write has it.
        var pending: StreamCheckpoint?
        var cancelRequested = false
    }

    private let held = Mutex<[Int64: Held]>([:])
    private let queue: JobQueue
    private let worker: String
    private let interval: Duration
    private let logger: Logger

    init(queue: JobQueue, worker: String, interval: Duration, logger: Logger) {
        self.queue = queue
        self.worker = worker
        self.interval = interval
        self.logger = logger
    }

    /// Starts tracking `jobID`'s stream; `cancel` closes it when its job's cancel is seen.
    func register(jobID: Int64, attempt: Int, cancel: @escaping @Sendable () -> Void) {
        held.withLock { $0[jobID] = Held(attempt: attempt, cancel: cancel) }
    }

    /// The stream produced more text; it is written at the next round.
    func update(jobID: Int64, text: String, outputTokens: Int) {
        held.withLock { streams in
            guard let attempt = streams[jobID]?.attempt else { return }
            streams[jobID]?.pending = StreamCheckpoint(jobID: jobID, attempt: attempt, text: text, outputTokens: outputTokens)
        }
    }

    /// Stops tracking `jobID`; returns whether a user asked to cancel it.
    func unregister(jobID: Int64) -> Bool {
        held.withLock { $0.removeValue(forKey: jobID)?.cancelRequested ?? false }
    }

    /// Rounds until the task is cancelled.
    func run(stop: StopFlag) async {
        while !stop.isSet && !Task.isCancelled {
            await stop.sleep(for: interval)
            await round()
        }
    }

    /// One round: write the pending text, then cancel the streams whose jobs were cancelled.
    func round() async {
        let (checkpoints, ids) = held.withLock { streams in
            var checkpoints: [StreamCheckpoint] = []
            for (id, stream) in streams {
                if let pending = stream.pending { checkpoints.append(pending) }
                streams[id]?.pending = nil
            }
            return (checkpoints, Array(streams.keys))
        }
        guard !ids.isEmpty else { return }
        do {
            let cancelled = try await queue.checkpointStreams(checkpoints, held: ids, worker: worker)
            let toCancel = held.withLock { streams in
                cancelled.compactMap { id -> (@Sendable () -> Void)? in
                    guard streams[id] != nil, streams[id]?.cancelRequested == false else { return nil }
                    streams[id]?.cancelRequested = true
                    return streams[id]?.cancel
                }
            }
            for cancel in toCancel { cancel() }
        } catch  where !Task.isCancelled {
            logger.warning(
                "checkpointing \(checkpoints.count) held streams failed; will write them next round", metadata: ["error": "\(error)"])
            held.withLock { streams in
                for checkpoint in checkpoints where streams[checkpoint.jobID]?.pending == nil {
                    streams[checkpoint.jobID]?.pending = checkpoint
                }
            }
        } catch {}
    }
}
