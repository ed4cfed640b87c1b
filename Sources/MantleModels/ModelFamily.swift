/// One row of the model table: the ids it covers, the APIs it speaks, where, and its limits.
public struct ModelFamily: Sendable, Hashable {
    /// A short name (`gpt-oss`, `claude`, `chat-only`).
    public let name: String
    /// Lower-cased id prefixes that belong to the family, after any inference-profile
    /// geography (`us.`, `global.` …) is taken off.
    public let idPrefixes: [String]
    /// The APIs the family speaks, in the order Longhaul prefers them. Mantle APIs are served
    /// under ``pathPrefix``; ``ModelAPI/bedrockInvoke`` is on bedrock-runtime.
    public let apis: [ModelAPI]
    /// The prefix of its inference routes on Mantle.
    public let pathPrefix: ModelPathPrefix
    /// Context window, input cap, output limit, tokenizer.
    public let limits: ContextLimits

    public init(name: String, idPrefixes: [String], apis: [ModelAPI], pathPrefix: ModelPathPrefix, limits: ContextLimits) {
        self.name = name
        self.idPrefixes = idPrefixes
        self.apis = apis
        self.pathPrefix = pathPrefix
        self.limits = limits
    }

    /// Whether the family speaks `api`.
    public func speaks(_ api: ModelAPI) -> Bool { apis.contains(api) }
}

/// A model a Bedrock Region serves by default, and on which host.
public struct KnownModel: Sendable, Hashable {
    /// The id as the host spells it.
    public let id: String
    /// `owned_by` in `GET /v1/models`.
    public let ownedBy: String
    /// Listed by Mantle's `GET /v1/models` (and so callable there).
    public let onMantle: Bool
    /// Callable on bedrock-runtime under this id.
    public let onBedrockRuntime: Bool

    public init(id: String, ownedBy: String, onMantle: Bool, onBedrockRuntime: Bool) {
        self.id = id
        self.ownedBy = ownedBy
        self.onMantle = onMantle
        self.onBedrockRuntime = onBedrockRuntime
    }
}
