public import Foundation
public import Mantle

/// A job a Submitter claimed, with everything needed to create its Response.
public struct ClaimedJob: Sendable, Equatable {
    public var id: Int64
    public var publicID: String
    public var projectID: Int64
    public var attempt: Int
    public var maxAttempts: Int
    public var model: String
    public var maxOutputTokens: Int
    public var estimatedInputTokens: Int
    public var reasoningEffort: ReasoningEffort?
    public var metadata: [String: String]
    public var document: String
    public var instructions: String?
    /// When the endpoint first failed to take this job (a transient failure that created
    /// nothing) since it last did; nil when it has not failed so.
    public var retryingSince: Date?
    /// How long the job may keep meeting such failures before it fails (the project's setting).
    public var retryWindow: Duration
    /// `service_tier` to ask for (nil: the endpoint's default).
    public var serviceTier: ServiceTier?
    /// How the job's document is summarised: an `auto` job that Mantle refuses for length is
    /// split instead of failing; a `single` one (and every map and merge call) fails.
    public var strategy: SummaryStrategy
    /// The job's stored W3C `traceparent`, filled in after the claim only while tracing is on.
    public var traceContext: String? = nil
    /// The API the project's own entry for the model named at enqueue (`params.api`); nil: the
    /// model table decides (`ModelRoute`).
    public var api: GenerationAPI? = nil

    public init(
        id: Int64, publicID: String, projectID: Int64, attempt: Int, maxAttempts: Int, model: String, maxOutputTokens: Int,
        estimatedInputTokens: Int, reasoningEffort: ReasoningEffort?, metadata: [String: String], document: String, instructions: String?,
        retryingSince: Date? = nil, retryWindow: Duration = .seconds(86_400), serviceTier: ServiceTier? = nil,
        strategy: SummaryStrategy = .auto
    ) {
        self.strategy = strategy
        self.id = id
        self.publicID = publicID
        self.projectID = projectID
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.model = model
        self.maxOutputTokens = maxOutputTokens
        self.estimatedInputTokens = estimatedInputTokens
        self.reasoningEffort = reasoningEffort
        self.metadata = metadata
        self.document = document
        self.instructions = instructions
        self.retryingSince = retryingSince
        self.retryWindow = retryWindow
        self.serviceTier = serviceTier
    }
}
