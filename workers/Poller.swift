import Foundation
public import Logging
public import LonghaulCore
import Tracing

/// Claims running jobs whose next poll is due and retrieves their Responses concurrently;
/// `JobLifecycle.afterPoll` decides what each look means (look again later, store the end, or
/// submit afresh), and the outcomes are written in batches.
public struct Poller: Sendable {
    let queue: JobQueue
    let gateway: any ResponsesGateway
    let configuration: WorkerConfiguration
    let logger: Logger
    let metrics: WorkerMetrics
    /// What this worker learned of each project's model, to aim the next look; nil: by age alone.
    var durations: ExpectedDurations?
    /// First looks this process's Submitter kept in hand: taken, once due, before any claim.
    var firstLooks: FirstLooks?

    public init(queue: JobQueue, gateway: any ResponsesGateway, configuration: WorkerConfiguration, logger: Logger) {
        self.queue = queue
        self.gateway = gateway
        self.configuration = configuration
        self.logger = logger
        self.metrics = WorkerMetrics(loop: "poll")
    }

    /// The claim loop. Polls are read-only on Mantle's side: a look cut short at shutdown simply
    /// comes due again.
    func loop() -> ClaimLoop<ClaimedPoll, Reported<PollOutcome>> {
        let worker = configuration.workerID
        let changes = EndpointChangeLog(logger: logger)
        let tracing = JobTracing(enabled: configuration.tracing)
        return ClaimLoop(
            name: "polls", concurrency: configuration.pollConcurrency, idleInterval: configuration.pollIdleInterval,
            shutdownGrace: configuration.shutdownGrace, flushInterval: configuration.flushInterval,
            flushSize: configuration.flushSize, logger: logger,
            claim: { [queue, configuration, firstLooks, logger] limit in
                let inHand = firstLooks?.takeDue(limit: limit) ?? []
                guard inHand.count < limit else { return inHand }
                do {
                    return try await inHand
                        + tracing.claimed("job.claim_poll", lookup: queue.traceContexts(jobIDs:)) {
                            try await queue.claimPolls(worker: worker, limit: limit - inHand.count, lease: configuration.pollLease)
                        }
                } catch where !inHand.isEmpty {
                    // The looks in hand are this worker's already: look at them, claim again next time.
                    logger.warning("claiming polls failed", metadata: ["error": "\(error)"])
                    return inHand
                }
            },
            work: { poll in
                await tracing.span("job.poll", continuing: poll.traceContext, publicID: poll.publicID) { span in
                    span?.recordCall(model: poll.model, maxOutputTokens: nil)
                    var reported = await look(at: poll)
                    reported.outcome.record(on: span, responseID: poll.responseID)
                    reported.traceContext = poll.traceContext
                    return reported
                }
            },
            write: { [queue] reports in
                var recorded = RecordedOutcomes()
                try await tracing.finishing(reports, ends: \.endsJob) {
                    recorded = try await queue.recordPolls(
                        reports.map(\.outcome), worker: worker, health: reports.endpointObservations(creates: false))
                }
                changes.record(recorded.endpointChanges)
            })
    }

    /// One retrieve (or cancel) call, and what it means for the job and the endpoint.
    func look(at poll: ClaimedPoll) async -> Reported<PollOutcome> {
        let clock = ContinuousClock.now
        let result: Result<RemoteSnapshot, RemoteCallError>
        do {
            result = .success(try await poll.cancelRequested ? gateway.cancel(poll) : gateway.retrieve(poll))
        } catch {
            result = .failure(error)
        }
        metrics.recordCall(since: clock, outcome: result.metricClass(success: "ok"))
        if case .failure(.permanent(let detail)) = result {
            logger.warning("retrieve refused; will look again", metadata: ["job.id": "\(poll.publicID)", "error": "\(detail.message)"])
        }
        return Reported(
            outcome: JobLifecycle.afterPoll(poll, result, retry: configuration.retryPolicy, polls: configuration.pollSchedule, now: Date(),
                expected: durations?.expected(for: poll)),
            projectID: poll.projectID, signal: EndpointSignal(result))
    }
}
