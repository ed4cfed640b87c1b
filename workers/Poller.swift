import Foundation
public import Logging
public import LonghaulCore

/// Claims running jobs whose next poll is due, retrieves their Responses concurrently, and
/// writes what it saw in batches: a new poll time that grows with the Response's age, or the
/// terminal result with its usage, or a fresh submission when a Response failed transiently.
public struct Poller: Sendable {
    let store: JobStore
    let gateway: any ResponsesGateway
    let configuration: WorkerConfiguration
    let logger: Logger
    let metrics: WorkerMetrics

    public init(store: JobStore, gateway: any ResponsesGateway, configuration: WorkerConfiguration, logger: Logger) {
        self.store = store
        self.gateway = gateway
        self.configuration = configuration
        self.logger = logger
        self.metrics = WorkerMetrics(loop: "poll")
    }

    func run(wake: WakeSignal, stop: StopFlag) async {
        let worker = configuration.workerID
        let writer = OutcomeWriter<PollOutcome>(interval: configuration.flushInterval, size: configuration.flushSize, logger: logger) {
            [store] outcomes in
            try await store.recordPolls(outcomes, worker: worker)
        }
        let inFlight = InFlightCounter()

        await withDiscardingTaskGroup { group in
            group.addTask { await writer.run() }
            while !stop.isSet {
                let free = configuration.pollConcurrency - inFlight.value
                var claimed: [ClaimedPoll] = []
                if free > 0 {
                    do {
                        claimed = try await store.claimPolls(worker: worker, limit: free, lease: configuration.pollLease)
                    } catch where !Task.isCancelled {
                        logger.warning("claiming polls failed", metadata: ["error": "\(error)"])
                    } catch {}
                }
                inFlight.add(claimed.count)
                for poll in claimed {
                    group.addTask {
                        writer.add(await look(at: poll))
                        inFlight.add(-1)
                        wake.signal()
                    }
                }
                if claimed.isEmpty || claimed.count < free {
                    await wake.wait(timeout: configuration.pollIdleInterval)
                }
            }
            // Polls are read-only on Mantle's side: whatever is unfinished simply comes due again.
            let deadline = ContinuousClock.now + .seconds(2)
            while inFlight.value > 0 && ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
            group.cancelAll()
        }
        await writer.drain(until: ContinuousClock.now + .seconds(2))
    }

    /// One retrieve (or cancel) call, turned into what the store should record.
    func look(at poll: ClaimedPoll) async -> PollOutcome {
        let clock = ContinuousClock.now
        do {
            let snapshot = try await poll.cancelRequested ? gateway.cancel(poll) : gateway.retrieve(poll)
            metrics.recordCall(since: clock, outcome: "ok")
            switch snapshot {
            case .running(let remoteStatus):
                let age = Duration.seconds(Date().timeIntervalSince(poll.submittedAt))
                return .stillRunning(jobID: poll.id, remoteStatus: remoteStatus, nextPollIn: configuration.pollSchedule.interval(age: age))
            case .finished(let result):
                if result.isTransientFailure && poll.attempt < poll.maxAttempts && !poll.cancelRequested {
                    let error = AttemptError(code: result.errorCode ?? "server_error", message: result.errorMessage ?? "the Response failed")
                    return .resubmit(
                        jobID: poll.id, attempt: poll.attempt,
                        retryIn: configuration.retryPolicy.delay(afterAttempt: poll.attempt), error: error)
                }
                return .finished(jobID: poll.id, attempt: poll.attempt, result)
            }
        } catch {
            metrics.recordCall(since: clock, outcome: error.metricClass)
            switch error {
            case .notFound(let detail):
                // The Response is gone (expired, wrong region or project): a new attempt is the only way on.
                guard poll.attempt < poll.maxAttempts else {
                    return .finished(jobID: poll.id, attempt: poll.attempt, RemoteResult(
                        state: .failed, remoteStatus: "not_found", errorCode: "response_not_found", errorMessage: detail.message))
                }
                return .resubmit(jobID: poll.id, attempt: poll.attempt, retryIn: .seconds(1), error: detail)
            case .retryable(_, let retryAfter, _):
                let backoff = configuration.pollSchedule.interval(age: .seconds(Date().timeIntervalSince(poll.submittedAt)))
                return .pollFailed(jobID: poll.id, retryIn: max(retryAfter ?? .zero, backoff, .seconds(1)))
            case .permanent(let detail):
                // A refused retrieve (an expired key, a revoked permission) must not lose a Response
                // that may have completed: keep looking, slowly, and say why.
                logger.warning("retrieve refused; will look again", metadata: ["job.id": "\(poll.publicID)", "error": "\(detail.message)"])
                return .pollFailed(jobID: poll.id, retryIn: configuration.pollSchedule.maximum)
            }
        }
    }
}
