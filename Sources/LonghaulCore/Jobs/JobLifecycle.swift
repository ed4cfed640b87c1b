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
/// The store carries the outcomes out with writes guarded by state, lease owner and attempt, so a
/// decision about a job that another worker rescued (or a user cancelled) meanwhile applies to nothing.
public enum JobLifecycle {
    /// What to do after the create call of `job`'s attempt returned `result`.
    public static func afterCreate(
        _ job: ClaimedJob, _ result: Result<RemoteSubmission, RemoteCallError>, retry: RetryPolicy, polls: PollSchedule, startedAt: Date
    ) -> SubmissionOutcome {
        switch result {
        case .success(let submission):
            return .accepted(
                jobID: job.id, attempt: job.attempt, responseID: submission.responseID, remoteStatus: submission.remoteStatus,
                firstPollIn: polls.first, startedAt: startedAt)
        case .failure(.retryable(let detail, let retryAfter, _)):
            guard let delay = retry.delay(afterAttempt: job.attempt, of: job.maxAttempts, retryAfter: retryAfter) else {
                return .fail(jobID: job.id, attempt: job.attempt, error: detail.withAttemptsExhausted(job.attempt), startedAt: startedAt)
            }
            return .retry(jobID: job.id, attempt: job.attempt, retryIn: delay, error: detail, startedAt: startedAt)
        case .failure(.permanent(let detail)), .failure(.notFound(let detail)):
            return .fail(jobID: job.id, attempt: job.attempt, error: detail, startedAt: startedAt)
        }
    }

    /// What to do after a retrieve (or, when a cancel was asked for, a cancel call) of `poll`'s
    /// Response returned `result` at `now`.
    public static func afterPoll(
        _ poll: ClaimedPoll, _ result: Result<RemoteSnapshot, RemoteCallError>, retry: RetryPolicy, polls: PollSchedule, now: Date
    ) -> PollOutcome {
        let age = Duration.seconds(max(0, now.timeIntervalSince(poll.submittedAt)))
        switch result {
        case .success(.running(let remoteStatus)):
            return .stillRunning(jobID: poll.id, remoteStatus: remoteStatus, nextPollIn: polls.interval(age: age))
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
            // A failed look costs no attempt: the Response runs on regardless.
            return .pollFailed(jobID: poll.id, retryIn: max(retryAfter ?? .zero, polls.interval(age: age), .seconds(1)))
        case .failure(.permanent):
            // A refused retrieve (an expired key, a revoked permission) must not lose a Response
            // that may have completed: keep looking, slowly.
            return .pollFailed(jobID: poll.id, retryIn: polls.maximum)
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
}
