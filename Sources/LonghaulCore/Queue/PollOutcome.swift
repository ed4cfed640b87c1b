/// What one poll found.
public enum PollOutcome: Sendable, Equatable {
    /// Still `queued`/`in_progress`: look again after `nextPollIn`.
    case stillRunning(jobID: Int64, remoteStatus: String, nextPollIn: Duration)
    /// The Response ended; store the result and end the job.
    case finished(jobID: Int64, attempt: Int, RemoteResult)
    /// The Response failed transiently (or vanished) and attempts remain: submit a new one.
    case resubmit(jobID: Int64, attempt: Int, retryIn: Duration, error: AttemptError)
    /// The retrieve call itself failed transiently: try again later; this costs no attempt.
    case pollFailed(jobID: Int64, retryIn: Duration)
}
