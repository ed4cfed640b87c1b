/// Every model's prices, as calls are charged: a call Mantle served on `flex` at the model's flex
/// price where it has one, any other call (and a flex one without) at its default price. The
/// one place of that rule on this side of the database (`longhaul_call_cost` is the other).
public struct PriceList: Sendable, Equatable {
    /// Each model's default price.
    public var defaults: [String: ModelPrice]
    /// Each model's flex price, where one is set.
    public var flex: [String: ModelPrice]

    public init(defaults: [String: ModelPrice] = [:], flex: [String: ModelPrice] = [:]) {
        self.defaults = defaults
        self.flex = flex
    }

    /// The list of `UsageStore.prices()`.
    public init(_ prices: [ModelPrice]) {
        self.init()
        for price in prices {
            if price.serviceTier == "flex" { flex[price.model] = price } else { defaults[price.model] = price }
        }
    }

    /// The prices calls on `tier` pay, per model (`auto`, `default` or none: the default prices).
    public func prices(for tier: String?) -> [String: ModelPrice] {
        tier == "flex" ? defaults.merging(flex) { _, flex in flex } : defaults
    }

    /// What a call of `model` on `tier` is charged at; nil when the model has no price.
    public func price(of model: String, tier: String?) -> ModelPrice? {
        tier == "flex" ? flex[model] ?? defaults[model] : defaults[model]
    }
}
