/// The one function that says which API runs a model, for a project with a Mantle endpoint,
/// a bedrock-runtime Region, or both (`shared/models.md`, "Which API a family speaks").
///
/// - Responses families (gpt-oss, gpt-5.x, Gemma, Grok) and unrecognised ids: Responses in
///   background mode, as before.
/// - Chat-Completions-only families (qwen, deepseek, mistral, gpt-oss-safeguard, …): Chat Completions.
/// - Claude mounted on Mantle (`anthropic.claude-opus-4-7`, `anthropic.claude-haiku-4-5`):
///   Anthropic Messages on Mantle, or bedrock-runtime when the project has only a Region there.
/// - Claude that only bedrock-runtime has (Sonnet 4.6, versioned `…-v1:0` ids, cross-Region
///   inference profiles `global.`/`us.`/`eu.`/`apac.`/`jp.`/`au.`): bedrock-runtime.
///
/// Adapter until the shared model table in `MantleModels` says which API each model speaks: the
/// family knowledge here comes from `MantleModel.capabilities(of:)`; only the list of Claude ids
/// mounted on Mantle is new.
public enum ModelRoute {
    /// Claude ids Mantle lists in `GET /v1/models` (the field test in models.md).
    public static let claudeOnMantle: Set<String> = ["anthropic.claude-opus-4-7", "anthropic.claude-haiku-4-5"]

    /// Prefixes of cross-Region inference profile ids, which only bedrock-runtime serves.
    static let inferenceProfilePrefixes = ["global.", "us.", "eu.", "apac.", "jp.", "au.", "us-gov."]

    /// The API that runs `modelID` for a project that has a Mantle endpoint (`mantle`) and/or a
    /// bedrock-runtime Region (`runtime`); throws when the model needs a host the project lacks.
    public static func api(for modelID: String, mantle: Bool = true, runtime: Bool = false) throws(MantleError) -> GenerationAPI {
        let id = modelID.trimmingWhitespace.lowercased()
        guard !id.isEmpty else {
            throw .invalidRequest(param: "model", "model is empty; name a Bedrock model such as openai.gpt-oss-120b")
        }
        if isRuntimeOnly(id) {
            guard runtime else {
                throw .unsupportedModel(
                    model: modelID,
                    "model '\(modelID)' runs only on bedrock-runtime (Mantle does not list it); give the project a bedrock-runtime "
                        + "Region, or choose \(claudeOnMantle.sorted().joined(separator: " or ")) on Mantle")
            }
            return .bedrockRuntime
        }
        let capabilities = MantleModel.capabilities(of: id)
        if capabilities.supportedAPIs.contains(.anthropicMessages) {
            return mantle ? .anthropicMessages : .bedrockRuntime
        }
        guard mantle else {
            throw .invalidConfiguration(
                "model '\(modelID)' runs on Mantle (\(capabilities.supportsResponses ? "Responses" : "Chat Completions")), but the "
                    + "project has only a bedrock-runtime Region; give it a Mantle Region or base URL")
        }
        return capabilities.supportsResponses ? .responses : .chatCompletions
    }

    /// Whether `id` (lower-cased) is a Claude model that Mantle does not serve.
    static func isRuntimeOnly(_ id: String) -> Bool {
        if inferenceProfilePrefixes.contains(where: { id.hasPrefix($0) }) && id.contains("anthropic.") { return true }
        return id.hasPrefix("anthropic.") && !claudeOnMantle.contains(id)
    }
}
