import Foundation

/// One `chat.completion.chunk` of a streamed Chat Completion (`stream: true`), the fields a job
/// needs: the text delta, the finish reason, and the usage of the last chunk
/// (`stream_options.include_usage`, sent with empty `choices`).
///
/// Wire: `{"id","object":"chat.completion.chunk","created","model","choices":[{"index",
/// "delta":{"role"?,"content"?,"reasoning"?},"finish_reason"?}],"usage"?:{"prompt_tokens",
/// "completion_tokens","total_tokens","prompt_tokens_details"?:{"cached_tokens"},
/// "completion_tokens_details"?:{"reasoning_tokens"}}}`. gpt-oss on Mantle puts its reasoning in
/// the non-standard `delta.reasoning` (models.md). An error mid-stream arrives as `{"error":{…}}`.
public struct ChatCompletionChunk: Sendable, Hashable, Decodable {
    public struct Choice: Sendable, Hashable, Decodable {
        public var index: Int
        public var delta: Delta
        /// `stop`, `length`, `content_filter`, `tool_calls`; null until the last chunk of the choice.
        public var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, delta
            case finishReason = "finish_reason"
        }
    }

    public struct Delta: Sendable, Hashable, Decodable {
        public var content: String?
        public var reasoning: String?
        public var refusal: String?
    }

    public struct ChunkUsage: Sendable, Hashable, Decodable {
        public var promptTokens: Int
        public var completionTokens: Int
        public var totalTokens: Int?
        public var cachedTokens: Int
        public var reasoningTokens: Int

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case totalTokens = "total_tokens"
            case promptDetails = "prompt_tokens_details"
            case completionDetails = "completion_tokens_details"
        }

        private struct Details: Decodable {
            var cachedTokens: Int?
            var reasoningTokens: Int?
            enum CodingKeys: String, CodingKey {
                case cachedTokens = "cached_tokens"
                case reasoningTokens = "reasoning_tokens"
            }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            promptTokens = try container.decodeIfPresent(Int.self, forKey: .promptTokens) ?? 0
            completionTokens = try container.decodeIfPresent(Int.self, forKey: .completionTokens) ?? 0
            totalTokens = try container.decodeIfPresent(Int.self, forKey: .totalTokens)
            cachedTokens = (try? container.decodeIfPresent(Details.self, forKey: .promptDetails))?.cachedTokens ?? 0
            reasoningTokens = (try? container.decodeIfPresent(Details.self, forKey: .completionDetails))?.reasoningTokens ?? 0
        }
    }

    public var id: String?
    public var model: String?
    public var choices: [Choice]
    public var usage: ChunkUsage?

    enum CodingKeys: String, CodingKey {
        case id, model, choices, usage
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        choices = try container.decodeIfPresent([Choice].self, forKey: .choices) ?? []
        usage = try container.decodeIfPresent(ChunkUsage.self, forKey: .usage)
    }
}
