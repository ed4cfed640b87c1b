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

    public init(strategy: SummaryStrategy = .auto, mapModel: String? = nil, mapMaxOutputTokens: Int? = nil, contextWindowScale: Double = 1) {
        self.strategy = strategy
        self.mapModel = mapModel
        self.mapMaxOutputTokens = mapMaxOutputTokens
        self.contextWindowScale = contextWindowScale
    }

    /// The limits Longhaul plans with for `model`.
    public func limits(for model: String) -> ContextLimits {
        ModelLimits.limits(for: model).scaled(by: contextWindowScale)
    }

    /// The settings as `params` entries.
    public var params: [String: String] {
        var params = ["strategy": strategy.rawValue]
        if let mapModel { params["map_model"] = mapModel }
        if let mapMaxOutputTokens { params["map_max_output_tokens"] = String(mapMaxOutputTokens) }
        if contextWindowScale != 1 { params["context_window_scale"] = String(contextWindowScale) }
        return params
    }

    /// The settings a job's `params` hold (defaults for what they do not).
    public init(params: [String: String]) {
        self.init(
            strategy: params["strategy"].flatMap(SummaryStrategy.init(rawValue:)) ?? .auto, mapModel: params["map_model"],
            mapMaxOutputTokens: params["map_max_output_tokens"].flatMap(Int.init),
            contextWindowScale: params["context_window_scale"].flatMap(Double.init) ?? 1)
    }
}
