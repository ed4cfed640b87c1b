import Foundation
public import Logging
public import LonghaulCore
import Mantle
import Tracing

/// Claims due queued jobs — fairly across projects, within each project's limits — and creates
/// their background Responses concurrently; `JobLifecycle.afterCreate` decides what each call
/// means, and the outcomes are written in batches.
public struct Submitter: Sendable {
    let queue: JobQueue
    let gateway: any ResponsesGateway
    let configuration: WorkerConfiguration
    let logger: Logger
    let metrics: WorkerMetrics
    /// Runs the jobs whose model has no background mode as held streams; nil when the gateway
    /// cannot stream (they are then created as Responses, which Mantle refuses for them).
    var streams: HeldStreamRunner?
    /// What this worker learned of each project's model, to aim the first look; nil: `first`.
    var durations: ExpectedDurations?
    /// The background Responses whose streams this worker holds; nil: every Response is polled.
    var backgroundStreams: BackgroundStreams?
    /// First looks kept in hand for this process's Poller; nil: every look is claimed from the database.
    var firstLooks: FirstLooks?

    public init(queue: JobQueue, gateway: any ResponsesGateway, configuration: WorkerConfiguration, logger: Logger) {
        self.queue = queue
        self.gateway = gateway
        self.configuration = configuration
        self.logger = logger
        self.metrics = WorkerMetrics(loop: "submit")
    }

    /// The claim loop of creates (`held` false), or of held streams (`held` true), each with its
    /// own slots: `submitConcurrency` creates, which take a second or so each, and
    /// `streamConcurrency` held streams, which take as long as the model writes — shared slots
    /// would let a few hundred long streams starve every create. When the first poll is due at
    /// once, `pollWake` (this process's Poller) is signalled after each write that made jobs
    /// `running` with a Response, instead of leaving them to its timer.
    func loop(held: Bool = false, pollWake: WakeSignal?) -> ClaimLoop<ClaimedJob, Reported<SubmissionOutcome>> {
        let worker = configuration.workerID
        let wakesPoller = configuration.pollSchedule.first <= .zero ? pollWake : nil
        let changes = EndpointChangeLog(logger: logger)
        let tracing = JobTracing(enabled: configuration.tracing)
        return ClaimLoop(
            name: held ? "held streams" : "jobs", concurrency: held ? configuration.streamConcurrency : configuration.submitConcurrency,
            idleInterval: configuration.submitIdleInterval,
            shutdownGrace: configuration.shutdownGrace, flushInterval: configuration.flushInterval,
            flushSize: configuration.flushSize, logger: logger,
            claim: { [queue, configuration] limit in
                try await tracing.claimed("job.claim", lookup: queue.traceContexts(jobIDs:)) {
                    try await queue.claimJobs(worker: worker, limit: limit, lease: configuration.submitLease, held: held)
                }
            },
            // One call for both: a job is run by the API its model routes to now, whichever loop claimed it.
            work: { job in
                await tracing.span(held ? "job.stream" : "job.create", continuing: job.traceContext, publicID: job.publicID) { span in
                    span?.recordCall(model: job.model, maxOutputTokens: job.maxOutputTokens)
                    var reported = await submit(job)
                    reported.outcome.record(on: span)
                    reported.traceContext = job.traceContext
                    return reported
                }
            },
            write: { [queue] reports in
                var recorded = RecordedOutcomes()
                try await tracing.finishing(reports, ends: \.endsJob) {
                    recorded = try await queue.recordSubmissions(
                        reports.map(\.outcome), worker: worker, health: reports.endpointObservations(creates: true))
                }
                changes.record(recorded.endpointChanges)
                firstLooks?.written(batch: reports.map(\.outcome.jobID), accepted: recorded.accepted)
                if reports.contains(where: \.outcome.isAccepted) { wakesPoller?.signal() }
                await backgroundStreams?.start(reports.compactMap(\.outcome.heldJobID))
            },
            heartbeat: .init(interval: configuration.heartbeatInterval) { [queue, configuration] in
                try await queue.extendSubmissionLeases(worker: worker, lease: configuration.submitLease, held: held)
            })
    }

    /// One create call, and what it means for the job and the endpoint.
    func submit(_ job: ClaimedJob) async -> Reported<SubmissionOutcome> {
        if let streams, case let api = streams.gateway.api(for: job), api != .responses {
            let clock = ContinuousClock.now
            let reported = await streams.hold(job, via: api)
            metrics.recordCall(since: clock, outcome: reported.signal == .answered ? "streamed" : "unavailable")
            return reported
        }
        let started = Date()
        let clock = ContinuousClock.now
        let result: Result<RemoteSubmission, RemoteCallError>
        var streamLease: Duration?
        if let backgroundStreams, backgroundStreams.reserve() {
            do {
                let (submission, stream) = try await backgroundStreams.gateway.submitStreaming(job)
                if let stream {
                    backgroundStreams.adopt(ClaimedPoll(streaming: job, responseID: submission.responseID, submittedAt: started), stream)
                    streamLease = configuration.pollLease
                } else {
                    backgroundStreams.release()
                }
                result = .success(submission)
            } catch {
                backgroundStreams.release()
                result = .failure(error)
            }
        } else {
            do {
                result = .success(try await gateway.submit(job))
            } catch {
                result = .failure(error)
            }
        }
        metrics.recordCall(since: clock, outcome: result.metricClass(success: streamLease == nil ? "accepted" : "accepted_streaming"))
        if case .failure(let error) = result {
            var jobLogger = logger
            jobLogger[metadataKey: "job.id"] = "\(job.publicID)"
            if error.mayHaveBeenCreated {
                jobLogger.warning("create may have reached Mantle without an answer; a duplicate Response is possible", metadata: ["error": "\(error.detail.message)"])
            } else if case .permanent = error {
                jobLogger.info("create refused for good", metadata: ["error": "\(error.detail.message)"])
            }
        }
        var outcome = JobLifecycle.afterCreate(
            job, result, retry: configuration.retryPolicy, polls: configuration.pollSchedule, startedAt: started,
            expected: durations?.expected(for: job), streamLease: streamLease)
        if let firstLooks, case .accepted(let id, let attempt, let responseID, let status, let firstPollIn, let startedAt, nil) = outcome,
            firstLooks.reserve(ClaimedPoll(streaming: job, responseID: responseID, submittedAt: started), dueIn: firstPollIn)
        {
            // As for a held stream, the stored next poll is the lease's end: a claim's scan of the
            // due jobs never reads the job while the look is here, and if this worker dies the
            // job comes due when its lease runs out.
            outcome = .accepted(
                jobID: id, attempt: attempt, responseID: responseID, remoteStatus: status, firstPollIn: configuration.pollLease,
                startedAt: startedAt, heldLease: configuration.pollLease)
        }
        return Reported(outcome: outcome, projectID: job.projectID, signal: EndpointSignal(result))
    }
}

extension SubmissionOutcome {
    var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }

    /// The job this accept keeps leased to this worker: its stream held, or its first look in hand.
    var heldJobID: Int64? {
        if case .accepted(let jobID, _, _, _, _, _, _?) = self { return jobID }
        return nil
    }
}

extension Result where Failure == RemoteCallError {
    /// The call's outcome for metrics: `success` when it succeeded, else the failure's class.
    func metricClass(success: String) -> String {
        switch self {
        case .success: success
        case .failure(let error): error.metricClass
        }
    }
}
