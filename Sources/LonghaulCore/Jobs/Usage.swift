/// Token usage of one Response, every field Mantle reports.
public struct Usage: Sendable, Equatable, Codable {
    public var inputTokens: Int
    /// Input tokens served from the prompt cache (not counted against input TPM).
    public var cachedTokens: Int
    public var outputTokens: Int
    /// Output tokens spent on reasoning (part of `outputTokens`).
    public var reasoningTokens: Int
    public var totalTokens: Int

    public init(inputTokens: Int, cachedTokens: Int = 0, outputTokens: Int, reasoningTokens: Int = 0, totalTokens: Int? = nil) {
        self.inputTokens = inputTokens
        self.cachedTokens = cachedTokens
        self.outputTokens = outputTokens
        self.reasoningTokens = reasoningTokens
        self.totalTokens = totalTokens ?? inputTokens + outputTokens
    }
}
