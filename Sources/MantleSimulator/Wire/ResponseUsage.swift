/// `usage` of a Response, every field present as Mantle sends it.
struct ResponseUsage: Encodable, Sendable, Equatable {
    struct InputDetails: Encodable, Sendable, Equatable {
        var cachedTokens = 0
        var cacheWriteTokens = 0
        enum CodingKeys: String, CodingKey {
            case cachedTokens = "cached_tokens"
            case cacheWriteTokens = "cache_write_tokens"
        }
    }

    struct OutputDetails: Encodable, Sendable, Equatable {
        var reasoningTokens: Int
        enum CodingKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }
    }

    var inputTokens: Int
    var inputTokensDetails = InputDetails()
    var outputTokens: Int
    var outputTokensDetails: OutputDetails
    var totalTokens: Int

    init(inputTokens: Int, outputTokens: Int, reasoningTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.outputTokensDetails = .init(reasoningTokens: reasoningTokens)
        self.totalTokens = inputTokens + outputTokens
    }

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case inputTokensDetails = "input_tokens_details"
        case outputTokens = "output_tokens"
        case outputTokensDetails = "output_tokens_details"
        case totalTokens = "total_tokens"
    }
}
