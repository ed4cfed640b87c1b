/// How a held generation's body is framed and what its events are: the three streamed APIs.
public enum GenerationWire: String, Sendable, Hashable, CaseIterable {
    /// OpenAI Chat Completions: SSE `data:` lines of `chat.completion.chunk` JSON, then `[DONE]`.
    case chatCompletions
    /// Anthropic Messages on Mantle: SSE with `event:` names and the event JSON as `data:`.
    case anthropicEvents
    /// Anthropic Messages on bedrock-runtime: AWS event-stream frames whose `chunk` payload is
    /// `{"bytes":"<base64 of the event JSON>"}`.
    case bedrockEventStream
}
