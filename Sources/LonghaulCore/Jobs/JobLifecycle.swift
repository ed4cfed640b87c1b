public import Foundation

/// The one place that decides a job's fate (DESIGN §5): each function takes what happened to a
/// job and returns what to do, with no I/O, so every rule is testable without a socket and the
/// loops only call, decide, and hand the outcome to their writer.
///
/// ```
/// queued ──claim──▶ submitting ──create ok──▶ running ──poll──▶ completed | failed | incomplete | cancelled
///   ▲                   │                        │
///   └──retry (backoff)──┘ transient              └─ transient remote failure, or the Response vanished ─▶ queued
///                       └── refused ─▶ failed
/// cancel: queued → cancelled at once; submitting/running → cancel sent to Mantle → its terminal status
/// ```
/// Attempts count what Mantle decided or may have: a Response that failed, a create whose answer
/// was lost. A create the endpoint did not take (5xx, 429, a refused connection) spends no
/// attempt; the job waits it out within its retry window (hours), and a refused key spends
/// nothing at all: the project pauses (`EndpointHealth`).
/// The store carries the outcomes out with writes guarded by state, lease owner and attempt, so a
/// decision about a job that another worker rescued (or a user cancelled) meanwhile applies to nothing.
public enum JobLifecycle {
    /// What to do after the create call of `job`'s attempt returned `result`; the first poll aims
    /// at `expected` when the job's project and model have taught one (`PollSchedule`). With
    /// `streamLease` the worker holds the Response's stream: no poll until that lease runs out.
    public static func afterCreate(
        _ job: ClaimedJob, _ result: Result<RemoteSubmission, RemoteCallError>, retry: RetryPolicy, polls: PollSchedule, startedAt: Date,
        expected: ExpectedEnd? = nil, streamLease: Duration? = nil
    ) -> SubmissionOutcome {
        switch result {
        case .success(let submission):
            return .accepted(
                jobID: job.id, attempt: job.attempt, responseID: submission.responseID, remoteStatus: submission.remoteStatus,
                firstPollIn: streamLease ?? polls.first(expected: expected), startedAt: startedAt, heldLease: streamLease)
        case .failure(.retryable(let detail, let retryAfter, mayHaveBeenCreated: true)):
            guard let delay = retry.delay(afterAttempt: job.attempt, of: job.maxAttempts, retryAfter: retryAfter) else {
                return .fail(jobID: job.id, attempt: job.attempt, error: detail.withAttemptsExhausted(job.attempt), startedAt: startedAt)
            }
            return .retry(jobID: job.id, attempt: job.attempt, retryIn: delay, error: detail, startedAt: startedAt)
        case .failure(.retryable(let detail, let retryAfter, mayHaveBeenCreated: false)):
            let since = job.retryingSince ?? startedAt
            let waited = Duration.seconds(max(0, startedAt.timeIntervalSince(since)))
            guard waited < job.retryWindow else {
                return .fail(jobID: job.id, attempt: job.attempt, error: detail.withWindowExhausted(since: since, window: job.retryWindow), startedAt: startedAt)
            }
            return .deferred(
                jobID: job.id, attempt: job.attempt, retryIn: retry.delay(unavailableFor: waited, retryAfter: retryAfter), error: detail,
                startedAt: startedAt)
        case .failure(.needsAttention(let detail)):
            return .held(jobID: job.id, attempt: job.attempt, error: detail, startedAt: startedAt)
        case .failure(.permanent(let detail)):
            return afterRefusal(job, detail, startedAt: startedAt)
        case .failure(.notFound(let detail)):
            return .fail(jobID: job.id, attempt: job.attempt, error: detail, startedAt: startedAt)
        }
    }

    /// What to do with `job` after the model refused its call for good (before or inside a stream).
    static func afterRefusal(_ job: ClaimedJob, _ detail: AttemptError, startedAt: Date) -> SubmissionOutcome {
        guard let refusal = ContextRefusal(detail) else {
            return .fail(jobID: job.id, attempt: job.attempt, error: detail, startedAt: startedAt)
        }
        // Too long for one call: an `auto` job is split with the figures Mantle stated; a
        // `single` one (and a map or merge call, created `single`) fails with them.
        guard job.strategy == .auto else {
            return .fail(
                jobID: job.id, attempt: job.attempt,
                error: AttemptError(
                    httpStatus: detail.httpStatus, code: detail.code,
                    message: detail.message + " (strategy \(job.strategy.rawValue): use strategy auto or map_reduce to split the document)"),
                startedAt: startedAt)
        }
        return .split(jobID: job.id, attempt: job.attempt, refusal: refusal, error: detail, startedAt: startedAt)
    }

    /// What to do after a retrieve (or, when a cancel was asked for, a cancel call) of `poll`'s
    /// Response returned `result` at `now`; a Response still running is looked at next as
    /// `PollSchedule` aims at `expected`, its expected end (nil: by its age alone).
    public static func afterPoll(
        _ poll: ClaimedPoll, _ result: Result<RemoteSnapshot, RemoteCallError>, retry: RetryPolicy, polls: PollSchedule, now: Date,
        expected: ExpectedEnd? = nil
    ) -> PollOutcome {
        let age = Duration.seconds(max(0, now.timeIntervalSince(poll.submittedAt)))
        switch result {
        case .success(.running(let remoteStatus)):
            return .stillRunning(jobID: poll.id, remoteStatus: remoteStatus, nextPollIn: polls.interval(age: age, expected: expected))
        case .success(.finished(let result)):
            // A Response that failed for a reason a fresh submission can cure gets one, unless the
            // user asked to cancel: then its end is the end.
            if result.isTransientFailure && !poll.cancelRequested,
                let delay = retry.delay(afterAttempt: poll.attempt, of: poll.maxAttempts)
            {
                let error = AttemptError(code: result.errorCode ?? "server_error", message: result.errorMessage ?? "the Response failed")
                return .resubmit(jobID: poll.id, attempt: poll.attempt, retryIn: delay, error: error)
            }
            return .finished(jobID: poll.id, attempt: poll.attempt, result)
        case .failure(.notFound(let detail)):
            // The Response is gone (expired, wrong region or project): a new attempt is the only way on.
            guard poll.attempt < poll.maxAttempts else {
                return .finished(jobID: poll.id, attempt: poll.attempt, RemoteResult(
                    state: .failed, remoteStatus: "not_found", errorCode: "response_not_found", errorMessage: detail.message))
            }
            return .resubmit(jobID: poll.id, attempt: poll.attempt, retryIn: .seconds(1), error: detail)
        case .failure(.retryable(_, let retryAfter, _)):
            // A failed look costs no attempt: the Response runs on regardless. Looks that keep
            // failing back off like creates do, so an outage is not met with a poll storm.
            let backoff = retry.delay(afterAttempt: poll.failedLooks + 1)
            return .pollFailed(jobID: poll.id, retryIn: max(retryAfter ?? .zero, polls.interval(age: age), backoff, .seconds(1)))
        case .failure(.permanent), .failure(.needsAttention):
            // A refused retrieve (an expired key, a revoked permission) must not lose a Response
            // that may have completed: keep looking, slowly.
            return .pollFailed(jobID: poll.id, retryIn: max(polls.maximum, retry.delay(afterAttempt: poll.failedLooks + 1)))
        }
    }

    /// What to do with a submission whose worker stopped renewing its lease (killed mid-create):
    /// the create may have reached Mantle, so the attempt counts.
    public static func afterLostSubmission(attempt: Int, maxAttempts: Int) -> LostSubmissionOutcome {
        guard attempt < maxAttempts else {
            return .fail(AttemptError(
                code: "worker_lost", message: "the worker submitting this job stopped responding on its last attempt (\(attempt))"))
        }
        return .requeue(AttemptError(
            code: "worker_lost",
            message: "the worker submitting this attempt stopped renewing its lease; the create may have reached Mantle"))
    }
}

/// What becomes of a submission whose worker vanished.
public enum LostSubmissionOutcome: Sendable, Equatable {
    /// Back to the queue in the place it had; the attempt is logged as `abandoned`.
    case requeue(AttemptError)
    /// That was the last attempt: the job ends `failed`.
    case fail(AttemptError)
}

extension AttemptError {
    func withAttemptsExhausted(_ attempts: Int) -> AttemptError {
        AttemptError(httpStatus: httpStatus, code: code, message: "\(message) (gave up after \(attempts) attempts)")
    }

    func withWindowExhausted(since: Date, window: Duration) -> AttemptError {
        let hours = Double(window.components.seconds) / 3600
        let span = hours >= 1 ? "\(hours.formatted(.number.precision(.fractionLength(0...1)))) h" : "\(window.components.seconds / 60) min"
        return AttemptError(
            httpStatus: httpStatus, code: code,
            message: "\(message) (the endpoint has not taken this job since \(since.ISO8601Format()); gave up at the end of the project's "
                + "\(span) retry window)")
    }
}
