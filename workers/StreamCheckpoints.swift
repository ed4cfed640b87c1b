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
        /// The stream began and its job is not yet shown `running` (see ``started(jobID:)``).
        var startPending = false
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

    /// The stream of a held-stream job has begun: at the next round its job becomes `running`.
    /// (Only for jobs claimed as held streams: the write is guarded by the job's `held`.)
    func started(jobID: Int64) {
        held.withLock { $0[jobID]?.startPending = true }
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

    /// Rounds until the task is cancelled. Between rounds, streams that began are shown
    /// `running` every second (one statement for all), so that a 3-second stream is not
    /// `submitting` for the whole of its life.
    func run(stop: StopFlag) async {
        let tick = min(interval, .seconds(1))
        var lastRound = ContinuousClock.now
        while !stop.isSet && !Task.isCancelled {
            await stop.sleep(for: tick)
            if ContinuousClock.now - lastRound >= interval {
                lastRound = ContinuousClock.now
                await round()
            } else {
                await showStarted()
            }
        }
    }

    /// Writes only the starts since the last write (see ``started(jobID:)``).
    private func showStarted() async {
        let starts = held.withLock { streams in
            var starts: [StreamStart] = []
            for (id, stream) in streams where stream.startPending {
                starts.append(StreamStart(jobID: id, attempt: stream.attempt))
                streams[id]?.startPending = false
            }
            return starts
        }
        guard !starts.isEmpty else { return }
        do {
            _ = try await queue.checkpointStreams([], held: [], worker: worker, started: starts)
        } catch  where !Task.isCancelled {
            logger.warning("showing \(starts.count) held streams as running failed; will retry", metadata: ["error": "\(error)"])
            held.withLock { streams in
                for start in starts { streams[start.jobID]?.startPending = true }
            }
        } catch {}
    }

    /// One round: write the pending text, then cancel the streams whose jobs were cancelled.
    func round() async {
        let (checkpoints, starts, ids) = held.withLock { streams in
            var checkpoints: [StreamCheckpoint] = [], starts: [StreamStart] = []
            for (id, stream) in streams {
                if let pending = stream.pending { checkpoints.append(pending) }
                if stream.startPending { starts.append(StreamStart(jobID: id, attempt: stream.attempt)) }
                streams[id]?.pending = nil
                streams[id]?.startPending = false
            }
            return (checkpoints, starts, Array(streams.keys))
        }
        guard !ids.isEmpty else { return }
        do {
            let cancelled = try await queue.checkpointStreams(checkpoints, held: ids, worker: worker, started: starts)
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
                for start in starts { streams[start.jobID]?.startPending = true }
            }
        } catch {}
    }
}
