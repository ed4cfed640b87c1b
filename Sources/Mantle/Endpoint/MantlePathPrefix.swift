/// The path prefix a Mantle route lives under; it depends on the model family.
///
/// Mantle rejects a request on the wrong prefix ("model … isn't supported on this route"), so the
/// client picks it from `MantleModel.capabilities(of:)`. Control-plane routes (models, projects)
/// are always under `/v1`.
public enum MantlePathPrefix: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `/v1`: `openai.gpt-oss-*`, the Chat-Completions-only families, and the control plane.
    case v1 = "/v1"
    /// `/openai/v1`: `openai.gpt-5*`, `google.gemma-*`, `xai.*`.
    case openAIV1 = "/openai/v1"
    /// `/anthropic/v1`: `anthropic.*` (Messages API only).
    case anthropicV1 = "/anthropic/v1"

    /// The prefix as written in a URL, e.g. `/openai/v1`.
    public var description: String { rawValue }
}
