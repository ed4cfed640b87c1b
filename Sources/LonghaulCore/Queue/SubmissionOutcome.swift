public import Foundation

/// What became of one create call.
public enum SubmissionOutcome: Sendable, Equatable {
    /// Mantle accepted it: the Response id is stored and the job is `running`, its first poll due
    /// after `firstPollIn`. With `heldLease`, the job stays leased to this worker for that long,
    /// and no other claims it: the worker holds the Response's stream (renewed while the stream
    /// lasts), or keeps its first look in hand (`FirstLooks`); `firstPollIn` is then the lease.
    case accepted(
        jobID: Int64, attempt: Int, responseID: String, remoteStatus: String, firstPollIn: Duration, startedAt: Date,
        heldLease: Duration? = nil)
    /// A transient failure after which the Response may exist (its answer was lost): the attempt
    /// is spent; back to the queue, due again after `retryIn`.
    case retry(jobID: Int64, attempt: Int, retryIn: Duration, error: AttemptError, startedAt: Date)
    /// The endpoint did not take it and nothing was created (5xx, 429, a refused connection):
    /// back to the queue, due again after `retryIn`, without spending the attempt; the job's
    /// retry window counts from the first of these.
    case deferred(jobID: Int64, attempt: Int, retryIn: Duration, error: AttemptError, startedAt: Date)
    /// Mantle refuses the project (its key, its Mantle project): back to the queue in its place,
    /// without spending the attempt, while the project is paused.
    case held(jobID: Int64, attempt: Int, error: AttemptError, startedAt: Date)
    /// A permanent failure (or the last attempt): the job ends `failed` with this error.
    case fail(jobID: Int64, attempt: Int, error: AttemptError, startedAt: Date)
    /// Mantle refused an `auto` job's one call because its input does not fit the model's
    /// window (Longhaul's estimate was too low, or the window smaller than its table): the job is
    /// split for map-reduce instead, with the figures `refusal` states. Nothing was billed.
    case split(jobID: Int64, attempt: Int, refusal: ContextRefusal, error: AttemptError, startedAt: Date)
    /// A held stream reached its end (a terminal event, an error event that no retry cures, or
    /// the user's cancel): the job ends with `result`, as a finished poll ends one.
    case finished(jobID: Int64, attempt: Int, RemoteResult, startedAt: Date)
    /// A held stream was cut, went idle, or failed transiently: the attempt is spent (its tokens
    /// were billed) and logged with `usage`; the job is due again after `retryIn`, or — nil, the
    /// attempts are used up — ends `failed` with `error`. `inputEstimated`: the stream was cut
    /// before it said its input tokens (Chat Completions says them last), so `usage` carries the
    /// enqueue estimate of the input instead.
    case interrupted(
        jobID: Int64, attempt: Int, retryIn: Duration?, error: AttemptError, usage: Usage, inputEstimated: Bool = false, startedAt: Date)

    /// The job the call was for.
    public var jobID: Int64 {
        switch self {
        case .accepted(let id, _, _, _, _, _, _), .retry(let id, _, _, _, _), .deferred(let id, _, _, _, _), .held(let id, _, _, _),
            .fail(let id, _, _, _), .finished(let id, _, _, _), .interrupted(let id, _, _, _, _, _, _), .split(let id, _, _, _, _):
            id
        }
    }
}
