/// Token usage of a Response, every field Mantle reports.
///
/// Wire shape: `{input_tokens, input_tokens_details:{cached_tokens, cache_write_tokens},
/// output_tokens, output_tokens_details:{reasoning_tokens}, total_tokens}`. A missing or null
/// detail reads as 0.
public struct ResponseUsage: Sendable, Hashable, Codable {
    /// Input tokens, cached ones included.
    public var inputTokens: Int
    /// Input tokens served from the prompt cache (`input_tokens_details.cached_tokens`).
    public var cachedInputTokens: Int
    /// Input tokens written to the prompt cache (`input_tokens_details.cache_write_tokens`).
    public var cacheWriteInputTokens: Int
    /// Output tokens, reasoning included.
    public var outputTokens: Int
    /// Reasoning tokens (`output_tokens_details.reasoning_tokens`).
    public var reasoningTokens: Int
    /// `total_tokens` as reported (input + output when absent).
    public var totalTokens: Int

    /// Usage with the given counts.
    public init(
        inputTokens: Int, cachedInputTokens: Int = 0, cacheWriteInputTokens: Int = 0, outputTokens: Int,
        reasoningTokens: Int = 0, totalTokens: Int? = nil
    ) {
        self.inputTokens = inputTokens
        self.cachedInputTokens = cachedInputTokens
        self.cacheWriteInputTokens = cacheWriteInputTokens
        self.outputTokens = outputTokens
        self.reasoningTokens = reasoningTokens
        self.totalTokens = totalTokens ?? inputTokens + outputTokens
    }

    private enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case inputTokensDetails = "input_tokens_details"
        case outputTokens = "output_tokens"
        case outputTokensDetails = "output_tokens_details"
        case totalTokens = "total_tokens"
    }

    private struct InputDetails: Codable {
        var cachedTokens: Int?
        var cacheWriteTokens: Int?
        enum CodingKeys: String, CodingKey {
            case cachedTokens = "cached_tokens"
            case cacheWriteTokens = "cache_write_tokens"
        }
    }

    private struct OutputDetails: Codable {
        var reasoningTokens: Int?
        enum CodingKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }
    }

    /// Reads the wire shape; null and missing counts are 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let input = try container.decodeIfPresent(Int.self, forKey: .inputTokens) ?? 0
        let output = try container.decodeIfPresent(Int.self, forKey: .outputTokens) ?? 0
        let inputDetails = try container.decodeIfPresent(InputDetails.self, forKey: .inputTokensDetails)
        let outputDetails = try container.decodeIfPresent(OutputDetails.self, forKey: .outputTokensDetails)
        self.init(
            inputTokens: input,
            cachedInputTokens: inputDetails?.cachedTokens ?? 0,
            cacheWriteInputTokens: inputDetails?.cacheWriteTokens ?? 0,
            outputTokens: output,
            reasoningTokens: outputDetails?.reasoningTokens ?? 0,
            totalTokens: try container.decodeIfPresent(Int.self, forKey: .totalTokens)
        )
    }

    /// Writes the wire shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(inputTokens, forKey: .inputTokens)
        try container.encode(
            InputDetails(cachedTokens: cachedInputTokens, cacheWriteTokens: cacheWriteInputTokens),
            forKey: .inputTokensDetails
        )
        try container.encode(outputTokens, forKey: .outputTokens)
        try container.encode(OutputDetails(reasoningTokens: reasoningTokens), forKey: .outputTokensDetails)
        try container.encode(totalTokens, forKey: .totalTokens)
    }
}
