/// Writes what a model answers: the extractive summary of its input, cut to the output budget,
/// with plausible token counts. Every API (Responses, Chat Completions, Messages) asks it.
enum AnswerWriter {
    /// Input tokens of a request: instructions and document text, plus a few per message for
    /// the chat template (Mantle counted 17 for a one-line prompt).
    static func inputTokens(instructions: String?, document: String, messageCount: Int) -> Int {
        let instructionTokens = instructions.map(TokenEstimator.tokens(in:)) ?? 0
        return instructionTokens + TokenEstimator.tokens(in: document) + 4 * messageCount + (instructions == nil ? 3 : 7)
    }

    static func inputTokens(of request: CreateResponseRequest) -> Int {
        inputTokens(
            instructions: request.instructions, document: request.input?.documentText ?? "", messageCount: request.input?.messageCount ?? 0)
    }

    /// The generation for a prompt: `budget` caps reasoning and text together (nil: the model's limit).
    static func generate(
        instructions: String?,
        document: String,
        model: SimulatedModel,
        effort: CreateResponseRequest.ReasoningEffort?,
        budget: Int?,
        inputTokens: Int
    ) -> Generation {
        let length = SummaryLength(instructions: instructions)
        let summary = ExtractiveSummarizer.summarize(document, length: length)
        let reasoning = reasoningTokens(model: model, effort: effort, inputTokens: inputTokens)
        let budget = budget ?? model.maximumOutputTokens
        let textTokens = TokenEstimator.tokens(in: summary)
        let reasoningText =
            reasoning > 0 ? "The user wants a summary (\(length.phrase)). Picking the sentences that best cover the document's main terms." : nil
        if reasoning + textTokens <= budget {
            return Generation(
                text: summary, reasoningText: reasoningText, inputTokens: inputTokens, reasoningTokens: reasoning,
                textTokens: textTokens, reachedBudget: false)
        }
        if reasoning >= budget {
            return Generation(
                text: nil, reasoningText: reasoningText, inputTokens: inputTokens, reasoningTokens: budget, textTokens: 0,
                reachedBudget: true)
        }
        return Generation(
            text: TokenEstimator.prefix(of: summary, fittingIn: budget - reasoning), reasoningText: reasoningText,
            inputTokens: inputTokens, reasoningTokens: reasoning, textTokens: budget - reasoning, reachedBudget: true)
    }

    static func answer(
        for request: CreateResponseRequest,
        model: SimulatedModel,
        inputTokens: Int,
        makeID: (String) -> String
    ) -> GeneratedAnswer {
        let generation = generate(
            instructions: request.instructions, document: request.input?.documentText ?? "", model: model,
            effort: request.reasoning?.effort, budget: request.maxOutputTokens, inputTokens: inputTokens)
        return GeneratedAnswer(
            reasoningID: generation.reasoningTokens > 0 ? makeID("rs_") : nil,
            reasoningText: generation.reasoningText ?? "",
            messageID: makeID("msg_"),
            text: generation.text,
            isIncomplete: generation.reachedBudget,
            usage: ResponseUsage(
                inputTokens: inputTokens, outputTokens: generation.outputTokens, reasoningTokens: generation.reasoningTokens)
        )
    }

    /// A small, effort-dependent number for reasoning models; 0 for the others.
    static func reasoningTokens(
        model: SimulatedModel,
        effort: CreateResponseRequest.ReasoningEffort?,
        inputTokens: Int
    ) -> Int {
        guard model.reasoningTokens > 0 else { return 0 }
        let factor: Int
        switch effort ?? .medium {
        case .none, .minimal, .low: factor = 1  // gpt-oss cannot switch reasoning off entirely
        case .medium: factor = 2
        case .high: factor = 4
        case .xhigh, .max: factor = 6
        }
        return model.reasoningTokens * factor + inputTokens / 200
    }
}

/// What a model wrote for one request, before any API wraps it.
struct Generation: Sendable {
    /// The visible text; nil when the budget ran out while reasoning.
    let text: String?
    /// The reasoning trace of a reasoning model, else nil.
    let reasoningText: String?
    let inputTokens: Int
    let reasoningTokens: Int
    let textTokens: Int
    /// The output budget (`max_tokens` …) cut it short: `length`, `max_tokens`, `incomplete`.
    let reachedBudget: Bool

    var outputTokens: Int { reasoningTokens + textTokens }

    /// The text in stream deltas of about `wordsPerDelta` words (spaces kept, so they join back exactly).
    func deltas(wordsPerDelta: Int = 6) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        var pieces: [String] = []
        var current = ""
        var words = 0
        for character in text {
            current.append(character)
            if character == " " || character == "\n" {
                words += 1
                if words >= wordsPerDelta {
                    pieces.append(current)
                    current = ""
                    words = 0
                }
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// Output tokens of the first `count` deltas (reasoning included), for the usage of a cut stream.
    func outputTokens(afterDeltas count: Int, of deltas: [String]) -> Int {
        reasoningTokens + min(textTokens, TokenEstimator.tokens(in: deltas.prefix(count).joined()))
    }
}
