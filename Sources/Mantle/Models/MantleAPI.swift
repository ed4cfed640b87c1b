/// One of the inference APIs that Mantle serves; a model family supports one or more of them.
public enum MantleAPI: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The OpenAI Responses API (`POST {prefix}/responses`), the only one Longhaul uses.
    case responses
    /// The OpenAI Chat Completions API (`POST /v1/chat/completions`).
    case chatCompletions
    /// The Anthropic Messages API (`POST /anthropic/v1/messages`).
    case anthropicMessages

    /// A human name with its route, for error messages.
    public var description: String {
        switch self {
        case .responses: "the Responses API"
        case .chatCompletions: "the Chat Completions API (/v1/chat/completions)"
        case .anthropicMessages: "the Anthropic Messages API (/anthropic/v1/messages)"
        }
    }
}
