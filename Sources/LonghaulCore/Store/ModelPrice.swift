/// What a model costs per million tokens, for the cost column of usage reports.
public struct ModelPrice: Sendable, Equatable, Codable {
    /// The model id as jobs record it (`openai.gpt-oss-120b`).
    public var model: String
    /// Per million uncached input tokens.
    public var inputPerMillion: Double
    /// Per million cached input tokens; nil charges them as uncached input.
    public var cachedInputPerMillion: Double?
    /// Per million output tokens (reasoning tokens are output tokens).
    public var outputPerMillion: Double
    /// ISO 4217 code, e.g. `USD`.
    public var currency: String
    /// `default` (the model's price, for every call Mantle did not serve on flex) or `flex`.
    public var serviceTier: String
    /// Who set it: `operator` (`longhaul usage prices set`), else where the price Longhaul ships
    /// comes from (longhaul_shipped_prices.function.sql). An operator's price wins over a shipped one.
    public var source: String

    /// The `source` of a price an operator set.
    public static let operatorSource = "operator"

    /// The tiers a price can be set for: Mantle serves `auto` as `default`.
    public static let tiers = ["default", "flex"]

    public init(
        model: String, inputPerMillion: Double, cachedInputPerMillion: Double? = nil, outputPerMillion: Double, currency: String = "USD",
        serviceTier: String = "default", source: String = ModelPrice.operatorSource
    ) {
        self.model = model
        self.serviceTier = serviceTier
        self.source = source
        self.inputPerMillion = inputPerMillion
        self.cachedInputPerMillion = cachedInputPerMillion
        self.outputPerMillion = outputPerMillion
        self.currency = currency
    }
}
