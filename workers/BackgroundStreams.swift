import Foundation
import Logging
import LonghaulCore
import Mantle
import Synchronization

/// The background Responses whose streams this worker holds (`background: true, stream: true`),
/// up to `maxBackgroundStreams`: the Submitter creates them, and once their accept is written
/// (the Response id is stored before anything else) each stream is held in a task of its own.
/// The terminal event ends the job at once through the Poller's outcomes and writer path
/// (`JobLifecycle.afterBackgroundStream`); partial text goes to `StreamCheckpoints`, whose round
/// also closes the stream of a job a user cancelled. A dropped stream is resumed after its last
/// event where the endpoint allows it, at most `maximumResumes` times; otherwise — and when the
/// worker stops — the Response is handed to the Poller at once. While held, the job stays leased
/// to this worker, renewed every heartbeat, and the Poller skips a job under a live lease, so a
/// worker that dies leaves its Responses to be polled within one lease.
final class BackgroundStreams: Sendable {
    /// A stream whose job's accept is not yet written.
    private struct Adopted: Sendable {
        var poll: ClaimedPoll
        var stream: BackgroundStream
        var at: ContinuousClock.Instant
    }

    /// Resumes of one stream before its Response is left to the Poller: a stream that keeps
    /// dropping is better polled.
    static let maximumResumes = 3

    let gateway: any BackgroundStreamGateway
    private let queue: JobQueue
    private let checkpoints: StreamCheckpoints?
    private let durations: ExpectedDurations?
    private let configuration: WorkerConfiguration
    private let logger: Logger
    private let slots = Mutex(0)
    private let adopted = Mutex<[Int64: Adopted]>([:])
    private let held = Mutex<Set<Int64>>([])
    private let starts: AsyncStream<Adopted>
    private let startsInput: AsyncStream<Adopted>.Continuation

    init(
        gateway: any BackgroundStreamGateway, queue: JobQueue, checkpoints: StreamCheckpoints?, durations: ExpectedDurations?,
        configuration: WorkerConfiguration, logger: Logger
    ) {
        self.gateway = gateway
        self.queue = queue
        self.checkpoints = checkpoints
        self.durations = durations
        self.configuration = configuration
        self.logger = logger
        (starts, startsInput) = AsyncStream.makeStream(of: Adopted.self)
    }

    /// Takes one of the worker's stream slots; false when all are in use (the job is polled).
    func reserve() -> Bool {
        slots.withLock { used in
            guard used < configuration.maxBackgroundStreams else { return false }
            used += 1
            return true
        }
    }

    /// Gives back a slot reserved for a create that brought no stream.
    func release() {
        slots.withLock { $0 -= 1 }
    }

    /// Keeps `stream` until the accept of `poll`'s job is written.
    func adopt(_ poll: ClaimedPoll, _ stream: BackgroundStream) {
        adopted.withLock { $0[poll.id] = Adopted(poll: poll, stream: stream, at: .now) }
    }

    /// The accepts of `jobIDs` are written: hold their streams. Streams adopted long ago whose
    /// accept never came (a write that failed for good) are dropped, which closes them. Accepts
    /// written after the stream loop stopped (the worker is stopping while creates are answered)
    /// hand their Responses to the Poller at once: their jobs must not stay leased to a worker
    /// that no longer holds them until the lease runs out.
    func start(_ jobIDs: [Int64]) async {
        let now = ContinuousClock.now
        let (ready, stale) = adopted.withLock { adopted -> ([Adopted], Int) in
            let ready = jobIDs.compactMap { adopted.removeValue(forKey: $0) }
            let stale = adopted.filter { now - $0.value.at > configuration.pollLease * 2 }.map(\.key)
            for id in stale { adopted[id] = nil }
            return (ready, stale.count)
        }
        for _ in 0..<stale { release() }
        var late: [PollOutcome] = []
        for item in ready {
            guard case .terminated = startsInput.yield(item) else { continue }
            release()
            late.append(JobLifecycle.afterBackgroundStream(
                item.poll, item.stream.state, retry: configuration.retryPolicy, polls: configuration.pollSchedule, now: Date()))
        }
        guard !late.isEmpty else { return }
        do {
            _ = try await queue.recordPolls(late, worker: configuration.workerID)
        } catch {
            logger.warning(
                "handing the Responses of a stopping worker's new streams to the Poller failed; they are polled when their lease ends",
                metadata: ["jobs": "\(late.count)", "error": "\(error)"])
        }
    }

    /// Holds the started streams until `stop` is set, then hands every held Response to the
    /// Poller and writes what is left.
    func run(stop: StopFlag) async {
        let worker = configuration.workerID
        let writer = OutcomeWriter<PollOutcome>(
            interval: configuration.flushInterval, size: configuration.flushSize, logger: logger
        ) { [queue] outcomes in
            try await queue.recordPolls(outcomes, worker: worker)
        }
        await withDiscardingTaskGroup { group in
            group.addTask { await writer.run() }
            group.addTask { [startsInput] in
                while !stop.isSet && !Task.isCancelled { await stop.sleep(for: .seconds(3600)) }
                startsInput.finish()
            }
            group.addTask { await self.renew(stop: stop) }
            let tracing = JobTracing(enabled: configuration.tracing)
            for await item in starts {
                group.addTask {
                    self.held.withLock { _ = $0.insert(item.poll.id) }
                    // The span covers the held stream, from its accept's write to its end or hand-over.
                    let outcome = await tracing.span(
                        "job.background_stream", continuing: item.poll.traceContext, publicID: item.poll.publicID
                    ) { span in
                        span?.recordCall(model: item.poll.model, maxOutputTokens: item.poll.maxOutputTokens)
                        let outcome = await self.hold(item)
                        outcome.record(on: span, responseID: item.poll.responseID)
                        return outcome
                    }
                    self.held.withLock { _ = $0.remove(item.poll.id) }
                    writer.add(outcome)
                    self.release()
                }
            }
            // Stopping: every held stream ends `.cancelled`, and its Response goes to the Poller.
            group.cancelAll()
        }
        await writer.drain(until: .now + .seconds(2))
    }

    /// Holds one stream to its end (resuming a dropped one where allowed) and decides what that means.
    private func hold(_ item: Adopted) async -> PollOutcome {
        let poll = item.poll
        let holding = Task { [gateway, checkpoints] () -> StreamedResponse in
            var state = item.stream.state
            var events = item.stream.events
            var resumes = 0
            var written = state.text.utf8.count
            while true {
                if state.ending == nil {
                    for await next in events {
                        state = next
                        if next.text.utf8.count != written {
                            written = next.text.utf8.count
                            checkpoints?.update(jobID: poll.id, text: next.text, outputTokens: next.deltas)
                        }
                    }
                }
                guard case .interrupted = state.ending, resumes < Self.maximumResumes, !Task.isCancelled else { return state }
                resumes += 1
                let from = StreamedResponse(responseID: poll.responseID, lastSequenceNumber: state.lastSequenceNumber, text: state.text)
                guard
                    let resumed = await gateway.resumeStream(
                        projectID: poll.projectID, model: poll.model, responseID: poll.responseID, after: from)
                else { return state }
                (state, events) = (from, resumed)
            }
        }
        checkpoints?.register(jobID: poll.id, attempt: poll.attempt) { holding.cancel() }
        let state = await withTaskCancellationHandler {
            await holding.value
        } onCancel: {
            holding.cancel()
        }
        _ = checkpoints?.unregister(jobID: poll.id)
        if case .interrupted(let detail) = state.ending {
            logger.info(
                "the stream of a background Response stopped before its end; polling it",
                metadata: ["job.id": "\(poll.publicID)", "error": "\(detail)"])
        }
        return JobLifecycle.afterBackgroundStream(
            poll, state, retry: configuration.retryPolicy, polls: configuration.pollSchedule, now: Date(),
            expected: durations?.expected(for: poll))
    }

    /// Renews the leases of the held jobs every heartbeat until `stop` is set.
    private func renew(stop: StopFlag) async {
        while !stop.isSet && !Task.isCancelled {
            await stop.sleep(for: configuration.heartbeatInterval)
            let ids = held.withLock { Array($0) }
            guard !ids.isEmpty, !stop.isSet else { continue }
            do {
                try await queue.renewHeldBackgroundStreams(ids, worker: configuration.workerID, lease: configuration.pollLease)
            } catch  where !Task.isCancelled {
                logger.warning("renewing the leases of held Response streams failed", metadata: ["error": "\(error)"])
            } catch {}
        }
    }
}
