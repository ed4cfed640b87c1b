public import Foundation

/// A running job a Poller claimed: which Response to look at.
public struct ClaimedPoll: Sendable, Equatable {
    public var id: Int64
    public var publicID: String
    public var projectID: Int64
    public var attempt: Int
    public var maxAttempts: Int
    public var responseID: String
    public var model: String
    public var submittedAt: Date
    /// A user asked to cancel: send Mantle's cancel instead of a plain retrieve.
    public var cancelRequested: Bool
    /// Looks at this Response that failed in a row (a transient failure or a refused key), for
    /// the poll backoff.
    public var failedLooks: Int
    /// What was known of the job before it ran, for its expected end (`ResponseDurationModel`).
    public var estimatedInputTokens: Int
    public var maxOutputTokens: Int
    /// The job's stored W3C `traceparent`, filled in after the claim only while tracing is on.
    public var traceContext: String? = nil

    public init(
        id: Int64, publicID: String, projectID: Int64, attempt: Int, maxAttempts: Int, responseID: String, model: String,
        submittedAt: Date, cancelRequested: Bool, failedLooks: Int = 0, estimatedInputTokens: Int = 0, maxOutputTokens: Int = 0
    ) {
        self.id = id
        self.publicID = publicID
        self.projectID = projectID
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.responseID = responseID
        self.model = model
        self.submittedAt = submittedAt
        self.cancelRequested = cancelRequested
        self.failedLooks = failedLooks
        self.estimatedInputTokens = estimatedInputTokens
        self.maxOutputTokens = maxOutputTokens
    }
}
