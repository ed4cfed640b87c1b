import MantleModels

/// Refuses a create whose input (and requested output) does not fit the model's window, with
/// the 400 Mantle's OpenAI-compatible routes give: `invalid_request_error`,
/// `code: "context_length_exceeded"`.
///
/// The first message is the one `shared/models.md` records for Mantle ("This model's maximum
/// context length is N tokens. However, your messages resulted in M tokens. Please reduce the
/// length of the messages."). The second, for input that fits but not with the output asked
/// for, is OpenAI's wording for that case; that Mantle uses it (and counts `max_output_tokens`
/// against the window at all) is UNCONFIRMED: no recorded answer shows it. `param` is `input`
/// as OpenAI's Responses API names it, also UNCONFIRMED for Mantle.
enum ContextWindowCheck {
    static func problem(inputTokens: Int, maxOutputTokens: Int?, limits: ContextLimits, param: String = "input") -> MantleErrorBody? {
        let inputLimit = limits.inputBudget(reservingOutput: 0)
        if inputTokens > inputLimit {
            return refusal(
                param,
                "This model's maximum context length is \(inputLimit) tokens. However, your messages resulted in "
                    + "\(inputTokens) tokens. Please reduce the length of the messages.")
        }
        if let output = maxOutputTokens, inputTokens + output > limits.contextWindow {
            return refusal(
                param,
                "This model's maximum context length is \(limits.contextWindow) tokens. However, you requested "
                    + "\(inputTokens + output) tokens (\(inputTokens) in the messages, \(output) in the completion). "
                    + "Please reduce the length of the messages or completion.")
        }
        return nil
    }

    private static func refusal(_ param: String, _ message: String) -> MantleErrorBody {
        .invalidRequest(message, param: param, code: "context_length_exceeded")
    }
}

extension ContextWindowCheck {
    /// The refusal of an Anthropic Messages request that does not fit (`shared/models.md`: "prompt
    /// is too long: M tokens > N maximum"); the second message, for input that fits but not with
    /// `max_tokens`, is Anthropic's API wording, UNCONFIRMED on Bedrock.
    static func anthropicProblem(inputTokens: Int, maxTokens: Int, limits: ContextLimits) -> String? {
        let inputLimit = limits.inputBudget(reservingOutput: 0)
        if inputTokens > inputLimit { return "prompt is too long: \(inputTokens) tokens > \(inputLimit) maximum" }
        if inputTokens + maxTokens > limits.contextWindow {
            return "input length and `max_tokens` exceed context limit: \(inputTokens) + \(maxTokens) > \(limits.contextWindow), "
                + "decrease input length or `max_tokens` and try again"
        }
        return nil
    }
}
