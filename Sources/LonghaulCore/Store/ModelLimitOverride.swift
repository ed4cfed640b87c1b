public import Mantle
public import MantleModels

/// A project's own entry for one model — its window and output limit in place of the table's
/// (`ModelTable`, from `shared/models.md`), and optionally the API that runs it: for a model the
/// table does not know, a Region where a model is served with a smaller window, or a newer
/// model behind an old id.
public struct ModelLimitOverride: Sendable, Equatable, Codable {
    public var model: String
    /// Input plus output tokens of one call.
    public var contextWindow: Int
    /// The largest `max_output_tokens`; nil keeps the table's (never more than the window).
    public var maxOutputTokens: Int?
    /// The API that runs the model for this project: a model the table does not know (AWS adds
    /// some every month), or another API the model speaks; nil keeps the table's choice.
    public var api: GenerationAPI?

    public init(model: String, contextWindow: Int, maxOutputTokens: Int? = nil, api: GenerationAPI? = nil) {
        self.model = model
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
        self.api = api
    }

    /// The least window an override may state: splitting needs room for a chunk and an answer
    /// (`JobRequest.minimumInputRoom` of input and Mantle's 16 output tokens, with the template).
    public static let minimumContextWindow = 1_024

    /// `limits` with this override's figures. The window replaces the table's whole (an input
    /// cap below the window, as gpt-5.x has, is kept only when it is still smaller); the figures
    /// are the project's own, so a context-window scale does not apply to them.
    public func apply(to limits: ContextLimits) -> ContextLimits {
        var limits = limits
        limits.contextWindow = contextWindow
        if let cap = limits.maxInputTokens, cap >= contextWindow { limits.maxInputTokens = nil }
        limits.maxOutputTokens = min(maxOutputTokens ?? limits.maxOutputTokens, contextWindow)
        return limits
    }
}

extension ModelLimitOverride {
    /// The table's window and output limit for the model, and this override's in their place.
    public var comparison: (table: (contextWindow: Int, maxOutputTokens: Int), overridden: (contextWindow: Int, maxOutputTokens: Int)) {
        let table = ModelLimits.limits(for: model)
        let overridden = apply(to: table)
        return ((table.contextWindow, table.maxOutputTokens), (overridden.contextWindow, overridden.maxOutputTokens))
    }
}
