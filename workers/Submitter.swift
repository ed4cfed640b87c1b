import Foundation
public import Logging
public import LonghaulCore

/// Claims due queued jobs — fairly across projects, within each project's limits — and creates
/// their background Responses concurrently; outcomes are written in batches.
public struct Submitter: Sendable {
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
        self.metrics = WorkerMetrics(loop: "submit")
    }

    /// Runs until `stop` is set; then lets in-flight creates finish within the grace period,
    /// cancels the rest (their jobs go back to the queue) and writes every outcome. When the
    /// first poll is due at once, `pollWake` (this process's Poller) is signalled after each write
    /// that made jobs `running`, instead of leaving them to the Poller's timer.
    func run(wake: WakeSignal, stop: StopFlag, pollWake: WakeSignal? = nil) async {
        let worker = configuration.workerID
        let wakesPoller = configuration.pollSchedule.first <= .zero ? pollWake : nil
        let writer = OutcomeWriter<SubmissionOutcome>(interval: configuration.flushInterval, size: configuration.flushSize, logger: logger) {
            [store] outcomes in
            try await store.recordSubmissions(outcomes, worker: worker)
            if outcomes.contains(where: \.isAccepted) { wakesPoller?.signal() }
        }
        let inFlight = InFlightCounter()

        await withDiscardingTaskGroup { group in
            group.addTask { await writer.run() }
            group.addTask { await heartbeat(stop: stop) }
            while !stop.isSet {
                let free = configuration.submitConcurrency - inFlight.value
                var claimed: [ClaimedJob] = []
                if free > 0 {
                    do {
                        claimed = try await store.claimJobs(worker: worker, limit: free, lease: configuration.submitLease)
                    } catch where !Task.isCancelled {
                        logger.warning("claiming jobs failed", metadata: ["error": "\(error)"])
                    } catch {}
                }
                inFlight.add(claimed.count)
                for job in claimed {
                    group.addTask {
                        writer.add(await submit(job))
                        inFlight.add(-1)
                        wake.signal()
                    }
                }
                // A full claim means more may be waiting: look again at once.
                if claimed.isEmpty || claimed.count < free {
                    await wake.wait(timeout: configuration.submitIdleInterval)
                }
            }
            let deadline = ContinuousClock.now + configuration.shutdownGrace
            while inFlight.value > 0 && ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(50))
            }
            group.cancelAll()
        }
        await writer.drain(until: ContinuousClock.now + .seconds(2))
    }

    /// One create call, classified into what the store should do.
    func submit(_ job: ClaimedJob) async -> SubmissionOutcome {
        let started = Date()
        let clock = ContinuousClock.now
        var jobLogger = logger
        jobLogger[metadataKey: "job.id"] = "\(job.publicID)"
        do {
            let submission = try await gateway.submit(job)
            metrics.recordCall(since: clock, outcome: "accepted")
            return .accepted(
                jobID: job.id, attempt: job.attempt, responseID: submission.responseID, remoteStatus: submission.remoteStatus,
                firstPollIn: configuration.pollSchedule.first, startedAt: started)
        } catch {
            metrics.recordCall(since: clock, outcome: error.metricClass)
            switch error {
            case .retryable(let detail, let retryAfter, let mayHaveBeenCreated):
                if mayHaveBeenCreated {
                    jobLogger.warning("create may have reached Mantle without an answer; a duplicate Response is possible", metadata: ["error": "\(detail.message)"])
                }
                guard job.attempt < job.maxAttempts else {
                    return .fail(jobID: job.id, attempt: job.attempt, error: detail.withAttemptsExhausted(job.attempt), startedAt: started)
                }
                let delay = configuration.retryPolicy.delay(afterAttempt: job.attempt, retryAfter: retryAfter)
                return .retry(jobID: job.id, attempt: job.attempt, retryIn: delay, error: detail, startedAt: started)
            case .permanent(let detail), .notFound(let detail):
                jobLogger.info("create refused for good", metadata: ["error": "\(detail.message)"])
                return .fail(jobID: job.id, attempt: job.attempt, error: detail, startedAt: started)
            }
        }
    }

    /// Keeps this worker's submission leases alive while creates are in flight.
    private func heartbeat(stop: StopFlag) async {
        while !stop.isSet && !Task.isCancelled {
            await stop.sleep(for: configuration.heartbeatInterval)
            if stop.isSet || Task.isCancelled { return }
            do {
                try await store.extendSubmissionLeases(worker: configuration.workerID, lease: configuration.submitLease)
            } catch where !Task.isCancelled {
                logger.warning("extending submission leases failed", metadata: ["error": "\(error)"])
            } catch {}
        }
    }
}

extension AttemptError {
    func withAttemptsExhausted(_ attempts: Int) -> AttemptError {
        AttemptError(httpStatus: httpStatus, code: code, message: "\(message) (gave up after \(attempts) attempts)")
    }
}

extension SubmissionOutcome {
    var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }
}

extension RemoteCallError {
    var metricClass: String {
        switch self {
        case .retryable: "retryable"
        case .permanent: "permanent"
        case .notFound: "not_found"
        }
    }
}
