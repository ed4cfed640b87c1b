/// An API a model is called through. Each lives on one host, at one path.
///
/// From `shared/models.md` ("Two hosts, different APIs") and `shared/mantle-api.md` §1 and §8.
public enum ModelAPI: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// OpenAI Responses on Mantle, `{prefix}/responses`, with background mode.
    case responses
    /// OpenAI Chat Completions on Mantle, `{prefix}/chat/completions` (streamed with SSE).
    case chatCompletions = "chat_completions"
    /// Anthropic Messages on Mantle, `/anthropic/v1/messages`, with the header
    /// `anthropic-version: bedrock-2023-05-31` and the project as `anthropic-workspace`.
    case anthropicMessages = "anthropic_messages"
    /// Anthropic's Messages body through bedrock-runtime's InvokeModel:
    /// `/model/{id}/invoke` and `/model/{id}/invoke-with-response-stream` (AWS event-stream framing),
    /// with `"anthropic_version": "bedrock-2023-05-31"` in the body and no `model` field.
    case bedrockInvoke = "bedrock_invoke"

    /// The host that serves the API.
    public var host: ModelHost { self == .bedrockInvoke ? .bedrockRuntime : .mantle }

    /// The API's name as users read it.
    public var description: String {
        switch self {
        case .responses: "the Responses API"
        case .chatCompletions: "Chat Completions"
        case .anthropicMessages: "Anthropic Messages on Mantle"
        case .bedrockInvoke: "Anthropic Messages on bedrock-runtime (InvokeModel)"
        }
    }

    /// The value of `anthropic-version` (header on Mantle) and `anthropic_version` (body on
    /// bedrock-runtime) that Bedrock requires; Mantle refuses the SDK's own default.
    public static let bedrockAnthropicVersion = "bedrock-2023-05-31"
}

/// The two Bedrock hosts: `bedrock-mantle.{region}.api.aws` and `bedrock-runtime.{region}.amazonaws.com`.
public enum ModelHost: String, Sendable, Hashable, CaseIterable, Codable {
    case mantle
    case bedrockRuntime = "bedrock_runtime"
}

/// The path prefix of a family's inference routes on Mantle. Control-plane routes (models,
/// projects) are always under `/v1`.
public enum ModelPathPrefix: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// `/v1`: gpt-oss and every Chat-Completions-only family.
    case v1 = "/v1"
    /// `/openai/v1`: gpt-5.x, gemma 4, grok.
    case openAIV1 = "/openai/v1"
    /// `/anthropic/v1`: Claude (Messages only).
    case anthropicV1 = "/anthropic/v1"

    public var description: String { rawValue }
}
