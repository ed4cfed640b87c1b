/// How the loops talk to Mantle, in the queue's own terms: submit a claimed job, look at a
/// running one, cancel one. The real implementation routes each project to its Mantle endpoint
/// with its credential (`MantleGateway`); keeping the loops on this protocol keeps them free of
/// wire details.
public protocol ResponsesGateway: Sendable {
    /// Creates the background Response for `job`; returns its id and Mantle's status.
    func submit(_ job: ClaimedJob) async throws(RemoteCallError) -> RemoteSubmission
    /// Retrieves the Response of a running job.
    func retrieve(_ poll: ClaimedPoll) async throws(RemoteCallError) -> RemoteSnapshot
    /// Asks Mantle to cancel the Response of a running job; returns what Mantle then reports.
    func cancel(_ poll: ClaimedPoll) async throws(RemoteCallError) -> RemoteSnapshot
}

/// A Response Mantle accepted.
public struct RemoteSubmission: Sendable, Equatable {
    public var responseID: String
    public var remoteStatus: String

    public init(responseID: String, remoteStatus: String) {
        self.responseID = responseID
        self.remoteStatus = remoteStatus
    }
}

/// A Response as a poll saw it.
public enum RemoteSnapshot: Sendable, Equatable {
    /// `queued` or `in_progress` on Mantle.
    case running(remoteStatus: String)
    /// A terminal status, with everything to store.
    case finished(RemoteResult)
}

/// A call to Mantle that did not succeed, classified for the retry rules of DESIGN §7.
public enum RemoteCallError: Error, Sendable, Equatable {
    /// 408, 409, 429, 5xx, timeouts, connection failures, 4xx saying "Internal server error".
    /// `mayHaveBeenCreated`: a create whose answer was lost may still have made a Response.
    case retryable(AttemptError, retryAfter: Duration?, mayHaveBeenCreated: Bool)
    /// Other 4xx: retrying cannot help.
    case permanent(AttemptError)
    /// The Response does not exist (never stored, wrong region or project, or expired).
    case notFound(AttemptError)

    public var attemptError: AttemptError {
        switch self {
        case .retryable(let error, _, _), .permanent(let error), .notFound(let error): error
        }
    }
}

extension RemoteResult {
    /// Mantle error codes on a `failed` Response that a fresh submission can cure.
    public static let transientErrorCodes: Set<String> = ["server_error", "rate_limit_exceeded"]

    public var isTransientFailure: Bool {
        state == .failed && errorCode.map(Self.transientErrorCodes.contains) == true
    }
}
