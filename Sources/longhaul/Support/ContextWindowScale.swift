import Foundation
import LonghaulCore
import Tokenizers

/// `LONGHAUL_CONTEXT_WINDOW_SCALE`: one knob that shrinks every model's context window on both
/// sides — the in-process simulator refuses at the smaller window and Longhaul plans for it — so
/// that a demo or a test crosses a window with small documents. Unset or 1: the real windows.
enum ContextWindowScale {
    static let variable = "LONGHAUL_CONTEXT_WINDOW_SCALE"

    /// The scale the environment sets, or nil when it sets none (or one outside (0, 1]).
    static func fromEnvironment(_ environment: [String: String]) -> Double? {
        guard let text = environment[variable], let scale = Double(text), scale > 0, scale <= 1 else { return nil }
        return scale
    }
}

extension JobLimits {
    /// The limits, with the context-window scale the environment sets.
    /// The limits, with the context-window scale the environment sets and the `o200k_base`
    /// tokenizer when `LONGHAUL_O200K_RANKS` names its ranks (`…/bpe_openai/data/o200k_base.tiktoken.gz`);
    /// ranks that cannot be read are said on stderr, and inputs are then estimated.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> JobLimits {
        var limits = JobLimits()
        if let scale = ContextWindowScale.fromEnvironment(environment) { limits.contextWindowScale = scale }
        if let path = environment["LONGHAUL_O200K_RANKS"], !path.isEmpty {
            do {
                limits.tokenizer = O200kTokenizer(ranks: try BPERanks(contentsOf: path))
            } catch {
                Console.note("LONGHAUL_O200K_RANKS: \(error); gpt-oss and gpt-5 inputs are estimated instead")
            }
        }
        return limits
    }
}
