/// The API a job's model runs on: where its request goes and how its answer comes back.
public enum GenerationAPI: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    /// Mantle's Responses API in background mode: create, then poll (the `Submitter`/`Poller` loops).
    case responses
    /// Mantle's `/v1/chat/completions`, one held stream.
    case chatCompletions = "chat_completions"
    /// Mantle's `/anthropic/v1/messages`, one held stream.
    case anthropicMessages = "anthropic_messages"
    /// bedrock-runtime's `/model/{id}/invoke-with-response-stream` with Anthropic's body, one held stream.
    case bedrockRuntime = "bedrock_runtime"

    /// How the held stream of this API is framed; nil for Responses (polled, not held).
    public var wire: GenerationWire? {
        switch self {
        case .responses: nil
        case .chatCompletions: .chatCompletions
        case .anthropicMessages: .anthropicEvents
        case .bedrockRuntime: .bedrockEventStream
        }
    }

    /// The name users see, e.g. in `longhaul models`.
    public var description: String {
        switch self {
        case .responses: "responses (background)"
        case .chatCompletions: "chat completions (stream)"
        case .anthropicMessages: "anthropic messages (stream)"
        case .bedrockRuntime: "bedrock-runtime invoke (stream)"
        }
    }
}
