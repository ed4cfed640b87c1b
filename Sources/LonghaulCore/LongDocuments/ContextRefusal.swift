import Foundation

/// A create refused because its input did not fit the model's window, with the figures the
/// refusal states: the input tokens the model counted and the most it takes. An `auto` job so
/// refused is split with them instead of failing (our estimate was too low, or the window
/// smaller than the table says).
///
/// Wordings, from `shared/models.md` ("Context windows and output limits") and the simulator,
/// which answers as Mantle does:
/// - Mantle's OpenAI-compatible routes, 400 `context_length_exceeded`: "This model's maximum
///   context length is N tokens. However, your messages resulted in M tokens. …", or, for input
///   that fits without the output asked for, "… However, you requested T tokens (M in the
///   messages, O in the completion). …";
/// - Anthropic Messages (Mantle and bedrock-runtime), 400 `invalid_request_error`: "prompt is
///   too long: M tokens > N maximum", or "input length and `max_tokens` exceed context limit:
///   M + O > N, …"; bedrock-runtime puts either after "The model returned the following errors: "
///   (a ValidationException seen in 2026, moca#254);
/// - bedrock-runtime's older `ValidationException` "Input is too long for requested model.", which
///   states no figures, sent inside the stream of `invoke-with-response-stream`
///   (aws-samples/bedrock-chat#95, aws-sdk-js-v3#6266, continuedev/continue#6005).
public struct ContextRefusal: Sendable, Equatable {
    /// The input tokens the model counted (M), when the message says.
    public var inputTokens: Int?
    /// The window (or input limit) the refusal names (N), when it says.
    public var contextWindow: Int?

    public init(inputTokens: Int?, contextWindow: Int?) {
        self.inputTokens = inputTokens
        self.contextWindow = contextWindow
    }

    /// The refusal `error` states, or nil when it is not a context-length refusal.
    public init?(_ error: AttemptError) {
        let message = error.message
        if error.code == "context_length_exceeded" || message.contains("maximum context length is") {
            contextWindow = Self.number(in: message, after: "maximum context length is ")
            inputTokens =
                Self.number(in: message, after: "your messages resulted in ") ?? Self.number(in: message, after: "tokens (")
            return
        }
        if message.contains("prompt is too long: ") {
            inputTokens = Self.number(in: message, after: "prompt is too long: ")
            contextWindow = Self.number(in: message, after: " tokens > ")
            return
        }
        if message.contains("input length and `max_tokens` exceed context limit: ") {
            inputTokens = Self.number(in: message, after: "exceed context limit: ")
            contextWindow = Self.number(in: message, after: " > ")
            return
        }
        if message.contains("Input is too long for requested model") {
            inputTokens = nil
            contextWindow = nil
            return
        }
        return nil
    }

    /// The decimal number that follows the first `marker` in `text` (digits and `,` separators).
    private static func number(in text: String, after marker: String) -> Int? {
        guard let range = text.range(of: marker) else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isASCII && ($0.isNumber || $0 == ",") }.filter { $0 != "," }
        return Int(digits)
    }
}
