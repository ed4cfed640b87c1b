import HTTPTypes
import MantleModels
/// The route prefix under which Mantle serves a model family.
enum RoutePrefix: String, Sendable {
    /// `/v1`: gpt-oss and every chat-only family.
    case v1 = "/v1"
    /// `/openai/v1`: gpt-5.x, gemma 4, grok.
    case openAI = "/openai/v1"
    /// `/anthropic/v1`: the Messages API only.
    case anthropic = "/anthropic/v1"
}

/// One model the simulator lists, with what Mantle lets you do with it.
struct SimulatedModel: Sendable {
    let id: String
    let ownedBy: String
    let prefix: RoutePrefix
    let supportsResponses: Bool
    /// Reasoning tokens a Response spends before its text (0 for models that do not reason).
    let reasoningTokens: Int
    /// Context window, input cap, output limit: the row of the table Longhaul plans with.
    var limits: ContextLimits { ModelLimits.limits(for: id) }
    /// Largest output; used as `max_output_tokens` by the quota when the request leaves it unset.
    var maximumOutputTokens: Int { limits.maxOutputTokens }
}

/// The models of a Mantle Region as recorded in mantle-api.md §1 and §8.
enum ModelCatalogue {
    static let models: [SimulatedModel] = [
        .init(id: "openai.gpt-oss-120b", ownedBy: "openai", prefix: .v1, supportsResponses: true, reasoningTokens: 24),
        .init(id: "openai.gpt-oss-20b", ownedBy: "openai", prefix: .v1, supportsResponses: true, reasoningTokens: 16),
        .init(id: "openai.gpt-oss-safeguard-120b", ownedBy: "openai", prefix: .v1, supportsResponses: false, reasoningTokens: 0),
        .init(id: "openai.gpt-oss-safeguard-20b", ownedBy: "openai", prefix: .v1, supportsResponses: false, reasoningTokens: 0),
        .init(id: "qwen.qwen3-32b", ownedBy: "qwen", prefix: .v1, supportsResponses: false, reasoningTokens: 0),
        .init(id: "deepseek.v3.1", ownedBy: "deepseek", prefix: .v1, supportsResponses: false, reasoningTokens: 0),
        .init(id: "mistral.mistral-large-3", ownedBy: "mistral", prefix: .v1, supportsResponses: false, reasoningTokens: 0),
        .init(id: "openai.gpt-5.4", ownedBy: "openai", prefix: .openAI, supportsResponses: true, reasoningTokens: 64),
        .init(id: "openai.gpt-5.5", ownedBy: "openai", prefix: .openAI, supportsResponses: true, reasoningTokens: 64),
        .init(id: "google.gemma-4-31b-it", ownedBy: "google", prefix: .openAI, supportsResponses: true, reasoningTokens: 0),
        .init(id: "xai.grok-4", ownedBy: "xai", prefix: .openAI, supportsResponses: true, reasoningTokens: 32),
        .init(id: "anthropic.claude-sonnet-4-5", ownedBy: "anthropic", prefix: .anthropic, supportsResponses: false, reasoningTokens: 0),
        .init(id: "anthropic.claude-haiku-4-5", ownedBy: "anthropic", prefix: .anthropic, supportsResponses: false, reasoningTokens: 0),
    ]

    private static let byID: [String: SimulatedModel] = Dictionary(uniqueKeysWithValues: models.map { ($0.id, $0) })

    static func model(_ id: String) -> SimulatedModel? { byID[id] }

    /// Why `model` cannot be used for `POST {prefix}/responses`, in Mantle's words, or nil.
    static func responsesProblem(model id: String, prefix: RoutePrefix) -> MantleErrorBody? {
        guard let model = byID[id] else {
            return .invalidRequest(
                "The model '\(id)' does not exist or does not support this API.",
                param: "model",
                code: "model_not_found",
                status: .notFound
            )
        }
        guard model.supportsResponses else {
            return .invalidRequest(
                "The model '\(id)' does not support the '\(prefix.rawValue)/responses' API",
                param: "model",
                code: "validation_error"
            )
        }
        guard model.prefix == prefix else {
            // Recorded: an /openai/v1 model on /v1 is refused as if it were not enabled (401),
            // a /v1 model on /openai/v1 gets a 400 validation_error.
            if model.prefix == .openAI {
                return .invalidRequest(
                    "Model '\(id)' is not enabled for this account (access_denied)",
                    code: "access_denied",
                    status: .unauthorized
                )
            }
            return .invalidRequest(
                "The model '\(id)' isn't supported on this route.",
                param: "model",
                code: "validation_error"
            )
        }
        return nil
    }
}
