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
