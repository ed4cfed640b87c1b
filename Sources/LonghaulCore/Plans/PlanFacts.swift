/// What a plan knows about a project beyond the documents: prices, and how its earlier jobs ran.
public struct PlanFacts: Sendable, Equatable {
    public var prices: [String: ModelPrice]
    /// Output tokens ÷ input tokens of this project's completed calls, per model.
    public var outputRatios: [String: Double]
    /// Mean seconds from submission to the end of this project's completed calls, per model.
    public var callSeconds: [String: Double]
    public var tokensPerMinute: Int?
    public var maxInFlight: Int

    public init(
        prices: [String: ModelPrice] = [:], outputRatios: [String: Double] = [:], callSeconds: [String: Double] = [:],
        tokensPerMinute: Int? = nil, maxInFlight: Int = 50
    ) {
        self.prices = prices
        self.outputRatios = outputRatios
        self.callSeconds = callSeconds
        self.tokensPerMinute = tokensPerMinute
        self.maxInFlight = maxInFlight
    }
}
