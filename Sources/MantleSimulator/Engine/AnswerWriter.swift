/// Writes the answer a Response will give: the extractive summary of its input, cut to
/// `max_output_tokens`, with plausible token counts.
enum AnswerWriter {
    /// Input tokens of a request: instructions and document text, plus a few per message for
    /// the chat template (Mantle counted 17 for a one-line prompt).
    static func inputTokens(of request: CreateResponseRequest) -> Int {
        let instructionTokens = request.instructions.map(TokenEstimator.tokens(in:)) ?? 0
        let documentTokens = request.input.map { TokenEstimator.tokens(in: $0.documentText) } ?? 0
        let messages = request.input?.messageCount ?? 0
        return instructionTokens + documentTokens + 4 * messages + (request.instructions == nil ? 3 : 7)
    }

    static func answer(
        for request: CreateResponseRequest,
        model: SimulatedModel,
        inputTokens: Int,
        makeID: (String) -> String
    ) -> GeneratedAnswer {
        let length = SummaryLength(instructions: request.instructions)
        let summary = ExtractiveSummarizer.summarize(request.input?.documentText ?? "", length: length)
        let reasoning = reasoningTokens(model: model, effort: request.reasoning?.effort, inputTokens: inputTokens)
        let budget = request.maxOutputTokens ?? model.maximumOutputTokens
        let textTokens = TokenEstimator.tokens(in: summary)
        let reasoningText = "The user wants a summary (\(length.phrase)). Picking the sentences that best cover the document's main terms."

        let text: String?
        let usage: ResponseUsage
        let incomplete: Bool
        if reasoning + textTokens <= budget {
            text = summary
            usage = ResponseUsage(inputTokens: inputTokens, outputTokens: reasoning + textTokens, reasoningTokens: reasoning)
            incomplete = false
        } else if reasoning >= budget {
            text = nil
            usage = ResponseUsage(inputTokens: inputTokens, outputTokens: budget, reasoningTokens: budget)
            incomplete = true
        } else {
            text = TokenEstimator.prefix(of: summary, fittingIn: budget - reasoning)
            usage = ResponseUsage(inputTokens: inputTokens, outputTokens: budget, reasoningTokens: reasoning)
            incomplete = true
        }
        return GeneratedAnswer(
            reasoningID: reasoning > 0 ? makeID("rs_") : nil,
            reasoningText: reasoningText,
            messageID: makeID("msg_"),
            text: text,
            isIncomplete: incomplete,
            usage: usage
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
