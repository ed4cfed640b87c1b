/// What one model can take in one call: its context window (input and output together), the
/// input cap where a family has one below the window, the largest output, and its tokenizer.
public struct ContextLimits: Sendable, Hashable {
    /// Input plus output tokens of one call.
    public var contextWindow: Int
    /// The largest input on its own, where the family caps it below the window (gpt-5.x: 272,000).
    public var maxInputTokens: Int?
    /// The largest `max_output_tokens` the model produces.
    public var maxOutputTokens: Int
    /// Which tokenizer counts this model's tokens.
    public var tokenizer: TokenizerFamily

    public init(contextWindow: Int, maxInputTokens: Int? = nil, maxOutputTokens: Int, tokenizer: TokenizerFamily) {
        self.contextWindow = contextWindow
        self.maxInputTokens = maxInputTokens
        self.maxOutputTokens = maxOutputTokens
        self.tokenizer = tokenizer
    }

    /// The most input tokens a call may carry when it asks for `outputTokens` of output.
    public func inputBudget(reservingOutput outputTokens: Int) -> Int {
        let byWindow = contextWindow - max(0, outputTokens)
        return max(0, min(byWindow, maxInputTokens ?? byWindow))
    }

    /// The same limits with every window and cap multiplied by `scale` (0 < scale ≤ 1), so that
    /// tests can cross a window with small documents; the output limit is scaled too, never below 16.
    public func scaled(by scale: Double) -> ContextLimits {
        guard scale > 0, scale < 1 else { return self }
        func apply(_ value: Int) -> Int { max(16, Int((Double(value) * scale).rounded(.down))) }
        return ContextLimits(
            contextWindow: apply(contextWindow), maxInputTokens: maxInputTokens.map(apply),
            maxOutputTokens: apply(maxOutputTokens), tokenizer: tokenizer)
    }
}
