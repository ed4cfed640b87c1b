/// Something that happens to a job; `JobLifecycle` decides which state it leads to.
public enum JobEvent: Sendable, Equatable {
    /// A Submitter took the job off the queue.
    case claimed
    /// Mantle accepted the create and returned a Response id.
    case submitted
    /// The create failed in a way worth trying again (429, 5xx, timeout…) and attempts remain.
    case submitFailedRetryable
    /// The create failed for good (400, 401, 403, 404…), or attempts ran out.
    case submitFailedPermanent
    /// The worker holding the submission lease vanished; the job goes back to the queue.
    case leaseExpired
    /// A poll (or a cancel call) found the Response in a terminal status.
    case remoteFinished(RemoteOutcome)
    /// The Response failed with a transient error (`server_error`, `rate_limit_exceeded`) and
    /// attempts remain: a new submission is due.
    case remoteFailedRetryable
    /// A user cancelled the job while it was still queued.
    case cancelledWhileQueued
    /// A user asked to run a failed or incomplete job again.
    case retryRequested

    /// How a Response ended on Mantle's side.
    public enum RemoteOutcome: String, Sendable, Equatable {
        case completed, failed, incomplete, cancelled
    }
}

/// A transition that the job state machine refuses.
public struct IllegalJobTransition: Error, Sendable, Equatable, CustomStringConvertible {
    public let from: JobState
    public let event: JobEvent

    public init(from: JobState, event: JobEvent) {
        self.from = from
        self.event = event
    }
    public var description: String { "a job in state '\(from.rawValue)' cannot take the event \(event)" }
}
