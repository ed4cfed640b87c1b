public import Foundation

/// A tenant: one team's Mantle project, its endpoint, credential reference and limits.
public struct Project: Sendable, Equatable, Codable {
    public var id: Int64
    public var slug: String
    /// A Mantle region (`us-east-1`), or nil.
    public var region: String?
    /// A base URL override (simulator, proxy), or nil. With neither, the process default endpoint.
    public var baseURL: String?
    /// `proj_…`, sent as `OpenAI-Project`.
    public var mantleProjectID: String?
    /// `env:NAME`, `file:PATH`, `aws`, `aws:PROFILE` — a reference, never a secret.
    public var credentialReference: String?
    public var defaultModel: String
    public var maxInFlight: Int
    public var tokensPerMinute: Int?
    public var maxAttempts: Int
    public var tags: [String: String]
    public var archivedAt: Date?
    public var createdAt: Date
    /// How long a job may keep meeting transient failures that created nothing before it fails.
    public var retryWindowSeconds: Int = 86_400
    /// Why the project's jobs wait, when they do (paused, or the endpoint unavailable).
    public var hold: ProjectHold?
    /// The bedrock-runtime Region of its held streams there (Claude that Mantle does not serve),
    /// when it differs from `region`; nil: the same Region, or the base URL, serves both.
    public var runtimeRegion: String? = nil

    public var isActive: Bool { archivedAt == nil }
}

/// The fields of a new project; nil means the default.
public struct NewProject: Sendable, Equatable {
    public var slug: String
    public var region: String?
    public var baseURL: String?
    public var mantleProjectID: String?
    public var credentialReference: String?
    public var defaultModel: String
    public var maxInFlight: Int
    public var tokensPerMinute: Int?
    public var maxAttempts: Int
    public var tags: [String: String]
    public var retryWindowSeconds: Int
    /// See ``Project/runtimeRegion``.
    public var runtimeRegion: String?

    public init(
        slug: String, region: String? = nil, baseURL: String? = nil, mantleProjectID: String? = nil,
        credentialReference: String? = nil, defaultModel: String = "openai.gpt-oss-120b", maxInFlight: Int = 50,
        tokensPerMinute: Int? = nil, maxAttempts: Int = 5, tags: [String: String] = [:], retryWindowSeconds: Int = 86_400,
        runtimeRegion: String? = nil
    ) {
        self.runtimeRegion = runtimeRegion
        self.retryWindowSeconds = retryWindowSeconds
        self.slug = slug
        self.region = region
        self.baseURL = baseURL
        self.mantleProjectID = mantleProjectID
        self.credentialReference = credentialReference
        self.defaultModel = defaultModel
        self.maxInFlight = maxInFlight
        self.tokensPerMinute = tokensPerMinute
        self.maxAttempts = maxAttempts
        self.tags = tags
    }
}
