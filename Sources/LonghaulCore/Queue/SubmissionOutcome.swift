public import Foundation

/// What became of one create call.
public enum SubmissionOutcome: Sendable, Equatable {
    /// Mantle accepted it: the Response id is stored and the job is `running`.
    case accepted(jobID: Int64, attempt: Int, responseID: String, remoteStatus: String, firstPollIn: Duration, startedAt: Date)
    /// A transient failure: back to the queue, due again after `retryIn`.
    case retry(jobID: Int64, attempt: Int, retryIn: Duration, error: AttemptError, startedAt: Date)
    /// A permanent failure (or the last attempt): the job ends `failed` with this error.
    case fail(jobID: Int64, attempt: Int, error: AttemptError, startedAt: Date)

    var jobID: Int64 {
        switch self {
        case .accepted(let id, _, _, _, _, _), .retry(let id, _, _, _, _), .fail(let id, _, _, _): id
        }
    }
}
