public import Mantle

/// What a plan knows about a project beyond the documents: prices, and how its earlier jobs ran.
public struct PlanFacts: Sendable, Equatable {
    /// Each model's default price.
    public var prices: [String: ModelPrice]
    /// Each model's flex price, where one is set (a flex call of another model: the default price).
    public var flexPrices: [String: ModelPrice] = [:]
    /// Output tokens ÷ input tokens of this project's completed calls, per model.
    public var outputRatios: [String: Double]
    /// Mean seconds from submission to the end of this project's completed calls, per model.
    public var callSeconds: [String: Double]
    public var tokensPerMinute: Int?
    public var maxInFlight: Int
    /// How each model's token estimates are calibrated (`EstimateCalibration.decide` over the
    /// last day's calls); a model not named is uncalibrated.
    public var calibrations: [String: EstimateCalibration]

    public init(
        prices: [String: ModelPrice] = [:], outputRatios: [String: Double] = [:], callSeconds: [String: Double] = [:],
        tokensPerMinute: Int? = nil, maxInFlight: Int = 50, calibrations: [String: EstimateCalibration] = [:]
    ) {
        self.calibrations = calibrations
        self.prices = prices
        self.outputRatios = outputRatios
        self.callSeconds = callSeconds
        self.tokensPerMinute = tokensPerMinute
        self.maxInFlight = maxInFlight
    }

    /// The prices calls on `tier` pay, per model: Mantle serves `auto` (and no tier) as `default`.
    public func prices(for tier: ServiceTier?) -> [String: ModelPrice] {
        PriceList(defaults: prices, flex: flexPrices).prices(for: tier?.rawValue)
    }
}
