import MantleModels

extension JobRequest {
    /// Decides between one call and map-reduce, and checks the map step's settings: `single`
    /// refuses what does not fit (with the numbers), `auto` splits only what does not fit,
    /// `map_reduce` always splits. Returns the settings of a split job, nil for one call.
    func plan(
        model: String, maxOutputTokens: Int, inputTokens: InputTokenCount, limits: JobLimits, checkModel: ModelCheck
    ) throws(ValidationError) -> MapReduceSettings? {
        if let mapModel, limits.modelLimitOverrides[mapModel]?.api == nil {
            if let reason = checkModel(mapModel) {
                throw ValidationError(field: "map_model", code: "unsupported_model", message: reason)
            }
        }
        if let mapMaxOutputTokens {
            guard (limits.minOutputTokens...limits.maxOutputTokens).contains(mapMaxOutputTokens) else {
                throw ValidationError(
                    field: "map_max_output_tokens", code: "out_of_range",
                    message: "map_max_output_tokens is \(mapMaxOutputTokens); it must be between \(limits.minOutputTokens) and \(limits.maxOutputTokens)")
            }
        }
        var settings = MapReduceSettings(
            strategy: strategy ?? .auto, mapModel: mapModel, mapMaxOutputTokens: mapMaxOutputTokens, contextWindowScale: limits.contextWindowScale)
        settings.limitOverrides = limits.modelLimitOverrides
        try requireRoomForInput(model: model, outputTokens: maxOutputTokens, field: "max_output_tokens", settings: settings)
        if let mapMaxOutputTokens {
            try requireRoomForInput(model: mapModel ?? model, outputTokens: mapMaxOutputTokens, field: "map_max_output_tokens", settings: settings)
        }
        let calibration = inputTokens.isExact ? .exact : limits.calibrations[model] ?? .uncalibrated
        let budget = ContextBudget(limits: settings.limits(for: model), calibration: calibration)
        let fits = budget.fits(estimatedInputTokens: inputTokens.tokens, outputTokens: maxOutputTokens)
        switch settings.strategy {
        case .mapReduce: return settings
        case .auto: return fits ? nil : settings
        case .single:
            guard fits else {
                let needed = budget.needed(estimatedInputTokens: inputTokens.tokens, outputTokens: maxOutputTokens)
                let margin = "a \(Int(((calibration.margin - 1) * 100).rounded())) % margin on the estimate"
                let counted =
                    inputTokens.isExact
                    ? "are \(inputTokens.tokens) tokens (o200k_base); with max_output_tokens \(maxOutputTokens)"
                    : calibration.samples > 0
                        ? "are about \(Int((Double(inputTokens.tokens) * calibration.factor).rounded())) tokens (estimated, calibrated on "
                            + "\(calibration.samples) calls of \(model)); with max_output_tokens \(maxOutputTokens) and \(margin)"
                        : "are about \(inputTokens.tokens) tokens (estimated); with max_output_tokens \(maxOutputTokens) and \(margin)"
                throw ValidationError(
                    field: "document", code: "context_length_exceeded",
                    message: "the document and instructions \(counted) they need \(needed) of \(model)'s "
                        + "\(budget.limits.contextWindow)-token window; use strategy auto or map_reduce, or send a shorter document")
            }
            return nil
        }
    }

    /// Splitting cannot help when the output asked for leaves (almost) no room for input.
    private func requireRoomForInput(model: String, outputTokens: Int, field: String, settings: MapReduceSettings) throws(ValidationError) {
        let limits = settings.limits(for: model)
        guard ContextBudget(limits: limits).allowedEstimatedInput(outputTokens: outputTokens) >= Self.minimumInputRoom else {
            throw ValidationError(
                field: field, code: "context_length_exceeded",
                message: "\(field) is \(outputTokens); \(model)'s window of \(limits.contextWindow) tokens would leave too little room "
                    + "for input (at least \(Self.minimumInputRoom) tokens); lower \(field)")
        }
    }

    /// The least input a call must be able to carry for splitting to make progress.
    static let minimumInputRoom = 256
}
