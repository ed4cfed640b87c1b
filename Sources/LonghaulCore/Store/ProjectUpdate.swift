/// Changes to a project's settings: nil leaves a field as it is.
///
/// `credentialReference` and `mantleProjectID` are cleared with an empty string; the
/// tokens-per-minute budget with `clearTokensPerMinute` (a nil there already means "unchanged").
/// `tags` replaces the whole set.
public struct ProjectUpdate: Sendable, Equatable {
    public var defaultModel: String?
    public var maxInFlight: Int?
    public var tokensPerMinute: Int?
    /// Removes the tokens-per-minute budget; cannot be combined with `tokensPerMinute`.
    public var clearTokensPerMinute: Bool
    public var maxAttempts: Int?
    /// `env:NAME`, `file:PATH`, `aws`, `aws:PROFILE`; "" clears it.
    public var credentialReference: String?
    /// `proj_…`; "" clears it.
    public var mantleProjectID: String?
    public var tags: [String: String]?
    /// How long a job may keep meeting transient failures that created nothing, in seconds.
    public var retryWindowSeconds: Int?
    /// The bedrock-runtime Region (`Project.runtimeRegion`); "" clears it.
    public var runtimeRegion: String?

    public init(
        defaultModel: String? = nil, maxInFlight: Int? = nil, tokensPerMinute: Int? = nil, clearTokensPerMinute: Bool = false,
        maxAttempts: Int? = nil, credentialReference: String? = nil, mantleProjectID: String? = nil, tags: [String: String]? = nil,
        retryWindowSeconds: Int? = nil, runtimeRegion: String? = nil
    ) {
        self.runtimeRegion = runtimeRegion
        self.retryWindowSeconds = retryWindowSeconds
        self.defaultModel = defaultModel
        self.maxInFlight = maxInFlight
        self.tokensPerMinute = tokensPerMinute
        self.clearTokensPerMinute = clearTokensPerMinute
        self.maxAttempts = maxAttempts
        self.credentialReference = credentialReference
        self.mantleProjectID = mantleProjectID
        self.tags = tags
    }

    /// Whether applying this changes nothing.
    public var isEmpty: Bool { self == ProjectUpdate() }
}
