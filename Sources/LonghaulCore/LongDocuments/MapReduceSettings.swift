public import MantleModels

/// A job's choice of strategy and its map step's model and output length, kept in the job's
/// `params` (strings, as the column holds them) from enqueue to its last merge.
public struct MapReduceSettings: Sendable, Equatable {
    public var strategy: SummaryStrategy
    /// The model of the map calls; nil: the job's model. Merges always use the job's model.
    public var mapModel: String?
    /// `max_output_tokens` of each map call; nil: the job's.
    public var mapMaxOutputTokens: Int?
    /// The context-window scale in force when the job was enqueued (1: the real windows).
    public var contextWindowScale: Double
    /// Set when Mantle refused the job's one call for length (an `auto` job, split then): what
    /// the refusal stated, and the estimate the job was sent with.
    public var refusal: ContextRefusal?
    public var refusedEstimate: Int?
    /// The project's own windows per model (`longhaul projects limits`), read fresh where the job
    /// is planned and cut; not kept in `params`.
    public var limitOverrides: [String: ModelLimitOverride] = [:]

    public init(
        strategy: SummaryStrategy = .auto, mapModel: String? = nil, mapMaxOutputTokens: Int? = nil, contextWindowScale: Double = 1,
        refusal: ContextRefusal? = nil, refusedEstimate: Int? = nil
    ) {
        self.strategy = strategy
        self.mapModel = mapModel
        self.mapMaxOutputTokens = mapMaxOutputTokens
        self.contextWindowScale = contextWindowScale
        self.refusal = refusal
        self.refusedEstimate = refusedEstimate
    }

    /// The limits Longhaul plans with for `model`: the project's own figures where it set them,
    /// else the table's, scaled; and no larger than the window a refusal stated for the job's own
    /// model (`refusedModel`).
    public func limits(for model: String, refusedModel: String? = nil) -> ContextLimits {
        let table = ModelLimits.limits(for: model)
        var limits = limitOverrides[model].map { $0.apply(to: table) } ?? table.scaled(by: contextWindowScale)
        if model == refusedModel, let window = refusal?.contextWindow, window > 0 {
            limits.contextWindow = min(limits.contextWindow, window)
        }
        return limits
    }

    /// `calibration` of `model`, with the factor the refusal measured on this very document when
    /// `model` is the one refused (`refusedModel`). A refusal that states no count (bedrock-runtime's
    /// "Input is too long for requested model.") still says the model counted more than
    /// `leastRefusedCount`, the input the window left room for: that floor is the measure then.
    public func calibration(
        _ calibration: EstimateCalibration, for model: String, refusedModel: String, leastRefusedCount: Int
    ) -> EstimateCalibration {
        guard model == refusedModel, let refusal, let estimate = refusedEstimate else { return calibration }
        return calibration.measured(refusal.inputTokens ?? leastRefusedCount, estimated: estimate)
    }

    /// The settings as `params` entries.
    public var params: [String: String] {
        var params = ["strategy": strategy.rawValue]
        if let mapModel { params["map_model"] = mapModel }
        if let mapMaxOutputTokens { params["map_max_output_tokens"] = String(mapMaxOutputTokens) }
        if contextWindowScale != 1 { params["context_window_scale"] = String(contextWindowScale) }
        if let tokens = refusal?.inputTokens { params["refused_input_tokens"] = String(tokens) }
        if let window = refusal?.contextWindow { params["refused_context_window"] = String(window) }
        if let refusedEstimate { params["refused_estimate"] = String(refusedEstimate) }
        return params
    }

    /// The settings a job's `params` hold (defaults for what they do not).
    public init(params: [String: String]) {
        self.init(
            strategy: params["strategy"].flatMap(SummaryStrategy.init(rawValue:)) ?? .auto, mapModel: params["map_model"],
            mapMaxOutputTokens: params["map_max_output_tokens"].flatMap(Int.init),
            contextWindowScale: params["context_window_scale"].flatMap(Double.init) ?? 1,
            // Every split after a refusal records the estimate refused, figures or not.
            refusal: params["refused_input_tokens"] == nil && params["refused_context_window"] == nil && params["refused_estimate"] == nil
                ? nil
                : ContextRefusal(
                    inputTokens: params["refused_input_tokens"].flatMap(Int.init), contextWindow: params["refused_context_window"].flatMap(Int.init)),
            refusedEstimate: params["refused_estimate"].flatMap(Int.init))
    }
}
