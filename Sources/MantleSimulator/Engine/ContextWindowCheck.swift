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
    static func problem(inputTokens: Int, maxOutputTokens: Int?, limits: ContextLimits) -> MantleErrorBody? {
        let inputLimit = limits.inputBudget(reservingOutput: 0)
        if inputTokens > inputLimit {
            return refusal(
                "This model's maximum context length is \(inputLimit) tokens. However, your messages resulted in "
                    + "\(inputTokens) tokens. Please reduce the length of the messages.")
        }
        if let output = maxOutputTokens, inputTokens + output > limits.contextWindow {
            return refusal(
                "This model's maximum context length is \(limits.contextWindow) tokens. However, you requested "
                    + "\(inputTokens + output) tokens (\(inputTokens) in the messages, \(output) in the completion). "
                    + "Please reduce the length of the messages or completion.")
        }
        return nil
    }

    private static func refusal(_ message: String) -> MantleErrorBody {
        .invalidRequest(message, param: "input", code: "context_length_exceeded")
    }
}
