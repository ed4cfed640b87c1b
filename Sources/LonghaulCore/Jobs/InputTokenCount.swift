import MantleModels
public import Tokenizers

/// The input tokens of a job's call: counted with the model's tokenizer when Longhaul has it
/// (`o200k_base` for gpt-oss and gpt-5, when its ranks were found), else the calibrated estimate.
public struct InputTokenCount: Sendable, Equatable {
    public var tokens: Int
    /// True when `tokens` is the tokenizer's count, false for an estimate.
    public var isExact: Bool

    public init(document: String, instructions: String, model: String, tokenizer: O200kTokenizer?) {
        if let tokenizer, ModelLimits.limits(for: model).tokenizer == .o200kBase {
            tokens = tokenizer.count(document) + tokenizer.count(instructions)
            isExact = true
        } else {
            tokens = TokenEstimate.inputTokens(document) + TokenEstimate.inputTokens(instructions)
            isExact = false
        }
    }
}
