import Foundation

/// How Longhaul turns its raw token estimate (`TokenEstimate`: UTF-8 bytes ÷ 4, a token per CJK
/// character) for one model into what the model will count: multiply by `factor` for the tokens
/// expected, and by `margin` as well where a call must fit a window. Decided by ``decide(ratio:calls:spread:)``
/// from the estimate ÷ actual of the model's completed calls (the figure the gauge
/// `longhaul_token_estimate_ratio{model}` shows).
public struct EstimateCalibration: Sendable, Equatable {
    /// Tokens the model counts per estimated token: 1 ÷ (estimate ÷ actual).
    public var factor: Double
    /// Multiplies `factor × estimate` before it is compared with a window: the scatter of single
    /// calls around the mean that `factor` corrects.
    public var margin: Double
    /// The completed calls `factor` was measured on (0: the uncalibrated default).
    public var samples: Int

    public init(factor: Double, margin: Double, samples: Int) {
        self.factor = factor
        self.margin = margin
        self.samples = samples
    }

    /// No history: the estimate as it is, with the 35 % margin measured in `bench/token-estimate.py`
    /// (estimate ÷ actual ran 0.76–1.63 per 8,000-character chunk over prose, web pages, Japanese
    /// and Swift source; 1.35 covers every chunk seen; see `ContextBudget`).
    public static let uncalibrated = EstimateCalibration(factor: 1, margin: ContextBudget.estimateMargin, samples: 0)
    /// A count made with the model's own tokenizer: nothing to correct.
    public static let exact = EstimateCalibration(factor: 1, margin: 1, samples: 0)

    /// Below this many completed calls the history is not trusted: 20 calls put the mean of a
    /// ratio whose calls scatter by ±15 % (prose, `bench/token-estimate.py`) within about ±7 %
    /// (2σ/√20 ≈ 0.067), inside the smallest margin used below.
    public static let minimumSamples = 20
    /// The least margin once calibrated: the mean is measured, not the next call; 10 % is what
    /// is left of prose's ±15 % scatter per chunk after the mean moved to 1, rounded up.
    public static let calibratedMinimumMargin = 1.10

    /// The calibration of a model whose completed calls had estimate ÷ actual of `ratio` in the
    /// mean (over all their tokens), over `calls` calls whose single ratios had a standard
    /// deviation of `spread`. Fewer than ``minimumSamples`` calls, or no sane ratio: ``uncalibrated``.
    /// Else the factor corrects the mean, and the margin covers three standard deviations of
    /// single calls (relative to the mean), between 10 % and the uncalibrated 35 %: calibration
    /// never makes a call less safe than the default margin would.
    public static func decide(ratio: Double?, calls: Int, spread: Double?) -> EstimateCalibration {
        guard let ratio, ratio.isFinite, ratio > 0.1, ratio < 10, calls >= minimumSamples else { return .uncalibrated }
        let relativeSpread = (spread ?? 0).isFinite ? max(0, spread ?? 0) / ratio : 0
        let margin = min(ContextBudget.estimateMargin, max(calibratedMinimumMargin, 1 + 3 * relativeSpread))
        return EstimateCalibration(factor: 1 / ratio, margin: margin, samples: calls)
    }

    /// This calibration, with the factor measured on the document itself: the model counted
    /// `measuredTokens` where Longhaul estimated `estimatedTokens` (a refusal for length says how
    /// many). The template the model wraps around a call (`ContextBudget.templateTokens`) is
    /// not the document's; the margin stays, for the scatter between one part and another.
    public func measured(_ measuredTokens: Int, estimated estimatedTokens: Int) -> EstimateCalibration {
        guard estimatedTokens > 0, measuredTokens > ContextBudget.templateTokens else { return self }
        let factor = Double(measuredTokens - ContextBudget.templateTokens) / Double(estimatedTokens)
        return EstimateCalibration(factor: max(factor, 0.1), margin: margin, samples: samples)
    }

    /// `estimatedTokens` as the model will count them (no margin): for budgets and plans.
    public func expectedTokens(_ estimatedTokens: Int) -> Int {
        Int((Double(estimatedTokens) * factor).rounded(.up))
    }
}
