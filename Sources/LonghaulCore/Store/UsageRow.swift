/// One group of a usage report: how many terminal jobs ended how, the tokens they used, and
/// what that cost when the models have prices.
public struct UsageRow: Sendable, Equatable, Codable {
    /// The model id, the UTC day (`YYYY-MM-DD`), or the tag's value (`(none)` when unset).
    public var group: String
    public var jobs: Int
    public var completed: Int
    public var failed: Int
    public var incomplete: Int
    public var cancelled: Int
    /// All input tokens, cached ones included.
    public var inputTokens: Int
    public var cachedTokens: Int
    /// All output tokens, reasoning ones included.
    public var outputTokens: Int
    public var reasoningTokens: Int
    /// Nil unless every job with usage in the group has a price row, all in one currency.
    public var cost: Double?
    public var currency: String?

    public init(
        group: String, jobs: Int, completed: Int, failed: Int, incomplete: Int, cancelled: Int, inputTokens: Int,
        cachedTokens: Int, outputTokens: Int, reasoningTokens: Int, cost: Double?, currency: String?
    ) {
        self.group = group
        self.jobs = jobs
        self.completed = completed
        self.failed = failed
        self.incomplete = incomplete
        self.cancelled = cancelled
        self.inputTokens = inputTokens
        self.cachedTokens = cachedTokens
        self.outputTokens = outputTokens
        self.reasoningTokens = reasoningTokens
        self.cost = cost
        self.currency = currency
    }
}
