/// The tokenizer a model family counts its input with, where it is public.
public enum TokenizerFamily: String, Sendable, Hashable, CaseIterable {
    /// OpenAI's `o200k_base` ranks (gpt-oss and gpt-5; `o200k_harmony` adds only chat control
    /// tokens, so plain text counts the same). `shared/models.md`, "Counting tokens before sending".
    case o200kBase = "o200k_base"
    /// A tokenizer Longhaul has no ranks for (Claude's is not public; the others are not shipped
    /// here): counts are estimates, calibrated against the usage Mantle reports.
    case unknown
}
