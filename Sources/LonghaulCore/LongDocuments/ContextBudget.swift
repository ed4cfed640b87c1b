public import MantleModels

/// Whether text fits a model's window, judged on the calibrated token estimate with a margin.
///
/// The margin is measured (`bench/token-estimate.py`: chunks of 8,000 characters against the real
/// `o200k_base` ranks of gpt-oss and gpt-5): estimate ÷ actual ran 1.03–1.15 for English prose and
/// web pages, 1.05–1.22 for Japanese (the estimate counts a token per CJK character, which over-
/// counts a little), and 0.76–1.63 for Swift source, whose short symbol runs are the only text
/// it undercounts. 1.35 × the estimate covers every chunk seen. A real tokenizer would let it go.
public struct ContextBudget: Sendable, Equatable {
    public var limits: ContextLimits
    /// Multiplies input tokens before they are compared with the window: the calibration's
    /// factor times its margin (`estimateMargin` for an uncalibrated estimate, 1 for a count
    /// made with the model's own tokenizer).
    public var margin: Double
    public static let estimateMargin = 1.35
    /// Tokens Mantle adds around the instructions and the input (the chat template; the
    /// simulator counts 7 + 4 per message, and Mantle counted 17 for a one-line prompt).
    public static let templateTokens = 32

    public init(limits: ContextLimits, exactCount: Bool = false) {
        self.init(limits: limits, calibration: exactCount ? .exact : .uncalibrated)
    }

    /// The budget for estimates calibrated by `calibration` (see `EstimateCalibration`).
    public init(limits: ContextLimits, calibration: EstimateCalibration) {
        self.limits = limits
        self.margin = calibration.factor * calibration.margin
    }

    /// The input tokens a call may be estimated at, asking for `outputTokens`, with the margin.
    public func allowedEstimatedInput(outputTokens: Int) -> Int {
        Int(Double(limits.inputBudget(reservingOutput: outputTokens) - Self.templateTokens) / margin)
    }

    /// Whether input estimated at `estimatedInputTokens` (instructions included) fits with `outputTokens`.
    public func fits(estimatedInputTokens: Int, outputTokens: Int) -> Bool {
        estimatedInputTokens <= allowedEstimatedInput(outputTokens: outputTokens)
    }

    /// What a call needs of the window, as the refusal states it: the estimate with its margin
    /// and the template, plus the output.
    public func needed(estimatedInputTokens: Int, outputTokens: Int) -> Int {
        Int((Double(estimatedInputTokens) * margin).rounded(.up)) + Self.templateTokens + outputTokens
    }
}
