/// The one table of Bedrock models: which API runs each family, where, and with what limits,
/// read by Longhaul (to route and plan jobs) and by the simulator (to serve and refuse as Bedrock does).
///
/// Facts from `shared/models.md` (the support matrix of a field test of 40 models × 3 APIs on
/// Mantle, us-east-1, May 2026, and the context-window table) and `shared/mantle-api.md` §1, §8.
/// AWS changes the list per Region and month: this is the default; discover at run time
/// (`GET /v1/models`) and pass what was found to ``capabilities(of:listedOnMantle:)``.
public enum ModelTable {
    private static let claudeLimits = ContextLimits(contextWindow: 200_000, maxOutputTokens: 64_000, tokenizer: .unknown)
    private static let chatOnlyLimits = ContextLimits(contextWindow: 128_000, maxOutputTokens: 16_384, tokenizer: .unknown)
    private static let gptOSSLimits = ContextLimits(contextWindow: 131_072, maxOutputTokens: 32_768, tokenizer: .o200kBase)

    /// The families, most specific prefix first (the safeguard models share gpt-oss's prefix
    /// but lack the Responses API).
    public static let families: [ModelFamily] = [
        ModelFamily(
            name: "gpt-oss-safeguard", idPrefixes: ["openai.gpt-oss-safeguard"], apis: [.chatCompletions],
            pathPrefix: .v1, limits: gptOSSLimits),
        // Chat Completions works too (reasoning in `choices[0].message.reasoning`); Longhaul prefers
        // Responses for its background mode.
        ModelFamily(
            name: "gpt-oss", idPrefixes: ["openai.gpt-oss"], apis: [.responses, .chatCompletions],
            pathPrefix: .v1, limits: gptOSSLimits),
        // gpt-5.4/5.5: "does not support the '/v1/chat/completions' API".
        ModelFamily(
            name: "gpt-5", idPrefixes: ["openai.gpt-5", "openai.gpt-6"], apis: [.responses], pathPrefix: .openAIV1,
            limits: ContextLimits(contextWindow: 400_000, maxInputTokens: 272_000, maxOutputTokens: 128_000, tokenizer: .o200kBase)),
        ModelFamily(
            name: "gemma-4", idPrefixes: ["google.gemma"], apis: [.responses, .chatCompletions], pathPrefix: .openAIV1,
            limits: ContextLimits(contextWindow: 128_000, maxOutputTokens: 8_192, tokenizer: .unknown)),
        ModelFamily(
            name: "grok-4", idPrefixes: ["xai."], apis: [.responses, .chatCompletions], pathPrefix: .openAIV1,
            limits: ContextLimits(contextWindow: 256_000, maxOutputTokens: 32_768, tokenizer: .unknown)),
        // Messages on Mantle for the models it lists; every Claude id also runs on bedrock-runtime.
        ModelFamily(
            name: "claude", idPrefixes: ["anthropic."], apis: [.anthropicMessages, .bedrockInvoke], pathPrefix: .anthropicV1,
            limits: claudeLimits),
        ModelFamily(
            name: "chat-only",
            idPrefixes: ["qwen.", "deepseek.", "mistral.", "minimax.", "zai.", "moonshotai.", "moonshot.", "nvidia."],
            apis: [.chatCompletions], pathPrefix: .v1, limits: chatOnlyLimits),
    ]

    /// The models of a Region by default: what Mantle's `GET /v1/models` lists (the simulator
    /// lists exactly these) and the Claude ids bedrock-runtime serves. Claude Sonnet 4.6 and
    /// cross-Region (`us.`, `global.`) ids are bedrock-runtime only.
    public static let knownModels: [KnownModel] = [
        mantle("openai.gpt-oss-120b", "openai"),
        mantle("openai.gpt-oss-20b", "openai"),
        mantle("openai.gpt-oss-safeguard-120b", "openai"),
        mantle("openai.gpt-oss-safeguard-20b", "openai"),
        mantle("qwen.qwen3-32b", "qwen"),
        mantle("deepseek.v3.1", "deepseek"),
        mantle("mistral.mistral-large-3", "mistral"),
        mantle("openai.gpt-5.4", "openai"),
        mantle("openai.gpt-5.5", "openai"),
        mantle("google.gemma-4-31b-it", "google"),
        mantle("xai.grok-4", "xai"),
        KnownModel(id: "anthropic.claude-opus-4-7", ownedBy: "anthropic", onMantle: true, onBedrockRuntime: true),
        KnownModel(id: "anthropic.claude-haiku-4-5", ownedBy: "anthropic", onMantle: true, onBedrockRuntime: true),
        runtime("anthropic.claude-sonnet-4-6"),
        runtime("us.anthropic.claude-sonnet-4-6"),
        runtime("global.anthropic.claude-sonnet-4-6"),
        runtime("global.anthropic.claude-sonnet-4-5-20250929-v1:0"),
        runtime("us.anthropic.claude-opus-4-7"),
        runtime("global.anthropic.claude-haiku-4-5"),
    ]

    private static func mantle(_ id: String, _ owner: String) -> KnownModel {
        KnownModel(id: id, ownedBy: owner, onMantle: true, onBedrockRuntime: false)
    }

    private static func runtime(_ id: String) -> KnownModel {
        KnownModel(id: id, ownedBy: "anthropic", onMantle: false, onBedrockRuntime: true)
    }

    /// Inference-profile geographies that prefix cross-Region ids on bedrock-runtime.
    public static let geographies = ["global", "us", "eu", "apac", "jp", "au", "ca", "us-gov"]
    private static let geographyPrefixes = geographies.map { ($0, $0 + ".") }

    private static let knownByID: [String: KnownModel] = Dictionary(
        knownModels.map { ($0.id.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })

    /// The default entry for `id` (case-insensitive), if the table names it.
    public static func knownModel(_ id: String) -> KnownModel? { knownByID[id.lowercasedModelID] }

    /// `id` without its inference-profile geography, and that geography (`us.anthropic.x` → `anthropic.x`, `us`).
    public static func splitGeography(_ id: String) -> (base: String, geography: String?) {
        let lowered = id.lowercasedModelID
        for (geography, prefix) in geographyPrefixes where lowered.hasPrefix(prefix) {
            let base = String(id.dropFirst(geography.count + 1))
            // Only a provider-qualified rest makes it a profile id (`us.anthropic.…`), not `xai.grok`.
            if base.contains(".") { return (base, geography) }
        }
        return (id, nil)
    }

    /// The family of `id` (case-insensitive, geography ignored), or nil.
    public static func family(of id: String) -> ModelFamily? {
        let base = splitGeography(id).base.lowercasedModelID
        return families.first { family in family.idPrefixes.contains { base.hasPrefix($0) } }
    }

    /// What `id` can be called through by default (see ``capabilities(of:listedOnMantle:)``).
    public static func capabilities(of id: String) -> ModelCapabilities {
        capabilities(of: id, listedOnMantle: nil)
    }

    /// What `id` can be called through. `listedOnMantle` is what the endpoint's `GET /v1/models`
    /// said (nil: not asked; the table's default applies): a model Mantle does not list can only
    /// run on bedrock-runtime, and only if its family runs there.
    ///
    /// Cross-Region ids (`us.`, `global.` …) exist only on bedrock-runtime.
    public static func capabilities(of id: String, listedOnMantle: Bool?) -> ModelCapabilities {
        let (_, geography) = splitGeography(id)
        guard let family = family(of: id) else {
            let apis: [ModelAPI] = listedOnMantle == false ? [] : [.responses]
            return ModelCapabilities(model: id, family: nil, apis: apis, pathPrefix: .v1, geography: geography)
        }
        let known = knownModel(id)
        let onMantle = geography == nil && (listedOnMantle ?? known?.onMantle ?? true)
        let onRuntime = known?.onBedrockRuntime ?? family.speaks(.bedrockInvoke)
        let apis = family.apis.filter { api in
            api.host == .mantle ? onMantle : onRuntime && family.speaks(.bedrockInvoke)
        }
        return ModelCapabilities(model: id, family: family, apis: apis, pathPrefix: family.pathPrefix, geography: geography)
    }
}

extension String {
    /// The id in lower case, and without a copy when it has no upper-case or non-ASCII letter (the
    /// ids Longhaul stores): a job's model is looked up in this table several times a call (its
    /// route, each request's path prefix), and `lowercased()` copies the id each time — with the
    /// concatenated geography prefixes, 3 % of the worker's CPU in `bench/pipeline.sh` (`perf`).
    package var lowercasedModelID: String {
        utf8.contains { (0x41...0x5A).contains($0) || $0 >= 0x80 } ? lowercased() : self
    }
}
