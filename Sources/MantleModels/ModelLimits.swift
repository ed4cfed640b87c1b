/// The one table of context windows and output limits, shared by Longhaul (which plans calls
/// that fit) and the simulator (which refuses the ones that do not, as Mantle does).
///
/// Figures from `shared/models.md`, "Context windows and output limits", which cites AWS's
/// model cards and the aws-samples per-model notebooks. gpt-oss's 32,768 output limit is the
/// simulator's figure, not confirmed on Mantle; the chat-only families share one row because
/// models.md gives one figure for them. AWS changes models per Region and month: these are the
/// defaults, and an unknown id gets ``fallback``.
public enum ModelLimits {
    /// One row: model ids that start with any of `prefixes` (lower-cased) have `limits`.
    public struct Row: Sendable {
        public let family: String
        public let prefixes: [String]
        public let limits: ContextLimits
    }

    /// Most specific prefix first.
    public static let table: [Row] = [
        Row(
            family: "gpt-oss", prefixes: ["openai.gpt-oss"],
            limits: ContextLimits(contextWindow: 131_072, maxOutputTokens: 32_768, tokenizer: .o200kBase)),
        Row(
            family: "gpt-5", prefixes: ["openai.gpt-5", "openai.gpt-6"],
            limits: ContextLimits(contextWindow: 400_000, maxInputTokens: 272_000, maxOutputTokens: 128_000, tokenizer: .o200kBase)),
        Row(
            family: "gemma-4", prefixes: ["google.gemma"],
            limits: ContextLimits(contextWindow: 128_000, maxOutputTokens: 8_192, tokenizer: .unknown)),
        Row(
            family: "grok-4", prefixes: ["xai."],
            limits: ContextLimits(contextWindow: 256_000, maxOutputTokens: 32_768, tokenizer: .unknown)),
        Row(
            family: "claude", prefixes: ["anthropic.", "us.anthropic.", "eu.anthropic.", "apac.anthropic.", "global.anthropic."],
            limits: ContextLimits(contextWindow: 200_000, maxOutputTokens: 64_000, tokenizer: .unknown)),
        Row(
            family: "chat-only", prefixes: ["qwen.", "deepseek.", "mistral.", "minimax.", "zai.", "moonshotai.", "nvidia."],
            limits: ContextLimits(contextWindow: 128_000, maxOutputTokens: 16_384, tokenizer: .unknown)),
    ]

    /// For a model no row names: the smallest window in the table, so a plan made with it fits
    /// wherever the model turns out to belong.
    public static let fallback = ContextLimits(contextWindow: 128_000, maxOutputTokens: 8_192, tokenizer: .unknown)

    /// The limits of `modelID` (case-insensitive), or ``fallback``.
    public static func limits(for modelID: String) -> ContextLimits {
        row(for: modelID)?.limits ?? fallback
    }

    /// The row that names `modelID`, if one does.
    public static func row(for modelID: String) -> Row? {
        let id = modelID.lowercased()
        return table.first { row in row.prefixes.contains { id.hasPrefix($0) } }
    }
}
