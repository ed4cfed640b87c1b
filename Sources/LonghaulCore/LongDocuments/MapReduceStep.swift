public import Mantle
import MantleModels

/// A job split for map-reduce, as its next step needs it.
public struct MapReduceParent: Sendable, Equatable {
    public var model: String
    public var maxOutputTokens: Int
    public var instructions: String
    public var document: String
    public var settings: MapReduceSettings
    /// How each model's estimates are calibrated (from the project's history); a model not
    /// named is ``EstimateCalibration/uncalibrated``.
    public var calibrations: [String: EstimateCalibration]

    public init(
        model: String, maxOutputTokens: Int, instructions: String, document: String, settings: MapReduceSettings,
        calibrations: [String: EstimateCalibration] = [:]
    ) {
        self.model = model
        self.maxOutputTokens = maxOutputTokens
        self.instructions = instructions
        self.document = document
        self.settings = settings
        self.calibrations = calibrations
    }

    /// The window budget of a call of `model`: the table's limits (capped by a refusal's window),
    /// and the model's calibration (corrected by a refusal's count).
    func budget(for model: String) -> ContextBudget {
        let limits = settings.limits(for: model, refusedModel: self.model)
        let calibration = settings.calibration(
            calibrations[model] ?? .uncalibrated, for: model, refusedModel: self.model,
            leastRefusedCount: limits.inputBudget(reservingOutput: maxOutputTokens) + 1)
        return ContextBudget(limits: limits, calibration: calibration)
    }
}

/// One child of a split job, as its parent's next step needs it.
public struct MapReduceChild: Sendable, Equatable {
    public var placement: ChunkPlacement
    public var state: JobState
    public var outputText: String?
    public var usage: Usage?
    public var errorCode: String?
    public var errorMessage: String?

    public init(
        placement: ChunkPlacement, state: JobState, outputText: String? = nil, usage: Usage? = nil, errorCode: String? = nil,
        errorMessage: String? = nil
    ) {
        self.placement = placement
        self.state = state
        self.outputText = outputText
        self.usage = usage
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }
}

/// A child job to create: one map call on a chunk, or one merge of summaries.
public struct MapReduceChildSpec: Sendable, Equatable {
    public var placement: ChunkPlacement
    public var model: String
    public var maxOutputTokens: Int
    public var instructions: String
    public var document: String
    public var estimatedInputTokens: Int
    /// The API the project's own entry for `model` names (nil: the model table decides).
    public var api: GenerationAPI?
}

/// What a split job does next — decided from its children alone, so that the step is the same
/// whoever takes it and however often it is looked at.
public enum MapReduceStep: Sendable, Equatable {
    /// Children of the current level are still working.
    case wait
    /// Create these children: the map jobs (level 1) or the merges of the next level.
    case spawn([MapReduceChildSpec])
    /// The last merge is done: its text is the job's, and `usage` the sum of every call.
    case complete(text: String, usage: Usage)
    /// A child of the current level did not complete, or the summaries cannot be merged.
    case fail(code: String, message: String, usage: Usage)

    /// Merges deeper than this mean summaries that do not shrink; the job fails instead.
    public static let maximumLevels = 8

    public static func next(parent: MapReduceParent, children: [MapReduceChild]) -> MapReduceStep {
        let usage = children.compactMap(\.usage).reduce(Usage(inputTokens: 0, outputTokens: 0), +)
        guard let level = children.map(\.placement.level).max() else { return split(parent) }
        let current = children.filter { $0.placement.level == level }.sorted { $0.placement.position < $1.placement.position }
        if current.contains(where: { !$0.state.isTerminal }) { return .wait }
        let unfinished = current.filter { $0.state != .completed }
        if let first = unfinished.first {
            let what = level == 1 ? "chunk summaries" : "level-\(level) merges"
            return .fail(
                code: "child_failed",
                message: "\(unfinished.count) of \(current.count) \(what) did not complete; the first, \(first.placement.label), "
                    + "ended \(first.state.rawValue)\(first.errorCode.map { " with \($0)" } ?? "")\(first.errorMessage.map { ": \($0)" } ?? ""). "
                    + "Retry the job to run only those again; completed ones are kept.",
                usage: usage)
        }
        if current.count == 1, let only = current.first {
            return .complete(text: only.outputText ?? "", usage: usage)
        }
        return merge(parent, current, level: level, usage: usage)
    }

    /// Level 1: the document cut into chunks that each fit the map model's window.
    private static func split(_ parent: MapReduceParent) -> MapReduceStep {
        let mapModel = parent.settings.mapModel ?? parent.model
        let mapOutput = parent.settings.mapMaxOutputTokens ?? parent.maxOutputTokens
        let budget = parent.budget(for: mapModel)
        // The instructions name the part and its headings; leave room for long ones.
        let instructionTokens = TokenEstimate.inputTokens(
            MapReducePrompts.mapInstructions(
                placement: ChunkPlacement(level: 1, position: 0, firstPart: 0, lastPart: 0, partsTotal: 1, headingPath: []),
                userInstructions: parent.instructions)) + 64
        let chunkTokens = budget.allowedEstimatedInput(outputTokens: mapOutput) - instructionTokens
        guard chunkTokens >= 64 else {
            return .fail(
                code: "context_window_too_small",
                message: "\(mapModel)'s window of \(budget.limits.contextWindow) tokens leaves \(max(0, chunkTokens)) tokens for a chunk "
                    + "after \(mapOutput) output tokens and the instructions; lower max_output_tokens (or map_max_output_tokens) or shorten the instructions",
                usage: Usage(inputTokens: 0, outputTokens: 0))
        }
        let chunks = DocumentChunker.chunks(of: parent.document, maxTokens: chunkTokens, overlapTokens: min(200, chunkTokens / 20))
        let specs = chunks.map { chunk in
            let placement = ChunkPlacement(
                level: 1, position: chunk.index, firstPart: chunk.index, lastPart: chunk.index, partsTotal: chunks.count,
                headingPath: chunk.headingPath)
            let instructions = MapReducePrompts.mapInstructions(placement: placement, userInstructions: parent.instructions)
            return MapReduceChildSpec(
                placement: placement, model: mapModel, maxOutputTokens: mapOutput, instructions: instructions, document: chunk.text,
                estimatedInputTokens: chunk.estimatedTokens + TokenEstimate.inputTokens(instructions),
                api: parent.settings.limitOverrides[mapModel]?.api)
        }
        return .spawn(specs)
    }

    /// The next level: consecutive summaries grouped so that each group fits one merge call.
    private static func merge(_ parent: MapReduceParent, _ current: [MapReduceChild], level: Int, usage: Usage) -> MapReduceStep {
        let budget = parent.budget(for: parent.model)
        let instructionTokens = TokenEstimate.inputTokens(MapReducePrompts.reduceInstructions(userInstructions: parent.instructions, isFinal: false))
        let inputTokens = budget.allowedEstimatedInput(outputTokens: parent.maxOutputTokens) - instructionTokens
        let items = current.map { (placement: $0.placement, text: $0.outputText ?? "") }
        var groups: [[(placement: ChunkPlacement, text: String)]] = []
        var used = 0
        for item in items {
            let tokens = TokenEstimate.inputTokens(MapReducePrompts.reduceInput([item])) + 2
            if let last = groups.last, !last.isEmpty, used + tokens <= inputTokens {
                groups[groups.count - 1].append(item)
                used += tokens
            } else {
                groups.append([item])
                used = tokens
            }
        }
        guard groups.count < items.count, level < maximumLevels else {
            return .fail(
                code: "summaries_do_not_fit",
                message: "the \(items.count) summaries of level \(level) cannot be merged within \(parent.model)'s window of "
                    + "\(budget.limits.contextWindow) tokens with max_output_tokens \(parent.maxOutputTokens); lower max_output_tokens "
                    + "or map_max_output_tokens so that summaries are shorter",
                usage: usage)
        }
        let isFinal = groups.count == 1
        let instructions = MapReducePrompts.reduceInstructions(userInstructions: parent.instructions, isFinal: isFinal)
        let specs = groups.enumerated().compactMap { position, group -> MapReduceChildSpec? in
            guard let first = group.first, let last = group.last else { return nil }
            let document = MapReducePrompts.reduceInput(group)
            let placement = ChunkPlacement(
                level: level + 1, position: position, firstPart: first.placement.firstPart, lastPart: last.placement.lastPart,
                partsTotal: first.placement.partsTotal, headingPath: first.placement.headingPath)
            return MapReduceChildSpec(
                placement: placement, model: parent.model, maxOutputTokens: parent.maxOutputTokens, instructions: instructions,
                document: document, estimatedInputTokens: TokenEstimate.inputTokens(document) + TokenEstimate.inputTokens(instructions),
                api: parent.settings.limitOverrides[parent.model]?.api)
        }
        return .spawn(specs)
    }
}

extension Usage {
    /// The sum of two calls' usage.
    public static func + (lhs: Usage, rhs: Usage) -> Usage {
        Usage(
            inputTokens: lhs.inputTokens + rhs.inputTokens, cachedTokens: lhs.cachedTokens + rhs.cachedTokens,
            outputTokens: lhs.outputTokens + rhs.outputTokens, reasoningTokens: lhs.reasoningTokens + rhs.reasoningTokens,
            totalTokens: lhs.totalTokens + rhs.totalTokens)
    }
}
