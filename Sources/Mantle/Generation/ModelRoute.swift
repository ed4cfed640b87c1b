public import MantleModels

/// The one function that says which API runs a model, for a project with a Mantle endpoint,
/// a bedrock-runtime Region, or both (`shared/models.md`, "Which API a family speaks"), read
/// from the one model table, `MantleModels.ModelTable`:
///
/// - Responses families (gpt-oss, gpt-5.x, Gemma, Grok) and unrecognised ids: Responses in
///   background mode.
/// - Chat-Completions-only families (qwen, deepseek, mistral, gpt-oss-safeguard, …): Chat Completions.
/// - Claude that Mantle lists (`anthropic.claude-opus-4-7`, `anthropic.claude-haiku-4-5`):
///   Anthropic Messages on Mantle, or bedrock-runtime when the project has only a Region there.
/// - Claude that only bedrock-runtime has (Sonnet 4.6, versioned `…-v1:0` ids, cross-Region
///   inference profiles `global.`/`us.`/`eu.`/`apac.`/`jp.`/`au.`): bedrock-runtime.
public enum ModelRoute {
    /// The API that runs `modelID` for a project that has a Mantle endpoint (`mantle`) and/or a
    /// bedrock-runtime Region (`runtime`); throws when the model needs a host the project lacks.
    public static func api(for modelID: String, mantle: Bool = true, runtime: Bool = false) throws(MantleError) -> GenerationAPI {
        let id = modelID.trimmingWhitespace
        guard !id.isEmpty else {
            throw .invalidRequest(param: "model", "model is empty; name a Bedrock model such as openai.gpt-oss-120b")
        }
        let capabilities = ModelTable.capabilities(of: id, listedOnMantle: listedOnMantle(id))
        if let api = capabilities.apis.first(where: { $0.host == .mantle }) {
            guard mantle else {
                guard capabilities.supports(.bedrockInvoke) else {
                    throw .invalidConfiguration(
                        "model '\(modelID)' runs on Mantle (\(api)), but the project has only a bedrock-runtime Region; "
                            + "give it a Mantle Region or base URL")
                }
                return .bedrockRuntime
            }
            return GenerationAPI(api)
        }
        guard capabilities.supports(.bedrockInvoke) else {
            throw .unsupportedModel(model: modelID, "model '\(modelID)' is served by neither Mantle nor bedrock-runtime")
        }
        guard runtime else {
            let onMantle = ModelTable.knownModels.filter { $0.onMantle && $0.onBedrockRuntime }.map(\.id)
            throw .unsupportedModel(
                model: modelID,
                "model '\(modelID)' runs only on bedrock-runtime (Mantle does not list it); give the project a bedrock-runtime "
                    + "Region, or choose \(onMantle.sorted().joined(separator: " or ")) on Mantle")
        }
        return .bedrockRuntime
    }

    /// Whether `modelID` runs as one held stream (an API with no background mode) for a project
    /// that reaches both hosts; an id Longhaul cannot route is left to the create loop, which
    /// refuses it with the reason.
    public static func isHeldStream(_ modelID: String) -> Bool {
        ((try? api(for: modelID, mantle: true, runtime: true)) ?? .responses) != .responses
    }

    /// The API that runs `modelID` for a project whose own entry for it names `entry` (nil: the
    /// table decides), for a project that reaches both hosts; an id Longhaul cannot route is left
    /// to the Responses create, which Mantle refuses with the reason.
    public static func api(for modelID: String, entry: GenerationAPI?) -> GenerationAPI {
        entry ?? (try? api(for: modelID, mantle: true, runtime: true)) ?? .responses
    }

    /// Whether `modelID` runs as one held stream, as ``api(for:entry:)`` routes it.
    public static func isHeldStream(_ modelID: String, entry: GenerationAPI?) -> Bool {
        api(for: modelID, entry: entry) != .responses
    }

    /// Whether Mantle serves `id` by the table: a Claude id the table does not name is taken to be
    /// bedrock-runtime's (Mantle lists only the Claude models the table marks; AWS adds new ones to
    /// bedrock-runtime first), any other id Mantle's (nil: the table's default).
    static func listedOnMantle(_ id: String) -> Bool? {
        if let known = ModelTable.knownModel(id) { return known.onMantle }
        return ModelTable.family(of: id)?.speaks(.bedrockInvoke) == true ? false : nil
    }
}

extension GenerationAPI {
    /// The model table's name of this API (`.bedrockRuntime` is `.bedrockInvoke`).
    public var modelAPI: ModelAPI {
        switch self {
        case .responses: .responses
        case .chatCompletions: .chatCompletions
        case .anthropicMessages: .anthropicMessages
        case .bedrockRuntime: .bedrockInvoke
        }
    }

    /// The generation API of a Mantle table API (`.bedrockInvoke` is `.bedrockRuntime`).
    public init(_ api: ModelAPI) {
        switch api {
        case .responses: self = .responses
        case .chatCompletions: self = .chatCompletions
        case .anthropicMessages: self = .anthropicMessages
        case .bedrockInvoke: self = .bedrockRuntime
        }
    }
}
