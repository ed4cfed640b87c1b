import MantleModels

/// A model family as Mantle routes it, recognised from the model id.
///
/// Families and their APIs follow `shared/mantle-api.md` §1 and §8 (AWS user guide and the
/// aws-samples per-model notebooks). Model ids on Mantle carry no version suffix
/// (`openai.gpt-oss-120b`, not `openai.gpt-oss-120b-1:0`).
public enum MantleModelFamily: String, Sendable, Hashable, CaseIterable {
    /// `openai.gpt-oss-*`: Responses on `/v1`.
    case gptOSS
    /// `openai.gpt-oss-safeguard-*`: Chat Completions only.
    case gptOSSSafeguard
    /// `openai.gpt-5*`, `openai.gpt-6*`: Responses on `/openai/v1`.
    case gpt5
    /// `google.gemma-*`: Responses on `/openai/v1`.
    case gemma
    /// `xai.*` (Grok): Responses on `/openai/v1`.
    case grok
    /// `anthropic.*`: Messages API on `/anthropic/v1` only.
    case anthropic
    /// Qwen: Chat Completions only.
    case qwen
    /// DeepSeek: Chat Completions only.
    case deepseek
    /// Mistral: Chat Completions only.
    case mistral
    /// MiniMax: Chat Completions only.
    case minimax
    /// GLM: Chat Completions only.
    case glm
    /// Kimi: Chat Completions only.
    case kimi
    /// Nemotron: Chat Completions only.
    case nemotron
    /// Not a family this client knows; tried on `/v1`, where Mantle serves most models.
    case unrecognised

    /// Recognises the family of a Mantle model id (case-insensitive).
    public init(modelID: String) {
        let id = modelID.lowercasedModelID
        // Order matters: the safeguard models share the gpt-oss prefix but lack the Responses API.
        if id.hasPrefix("openai.gpt-oss-safeguard") {
            self = .gptOSSSafeguard
        } else if id.hasPrefix("openai.gpt-oss") {
            self = .gptOSS
        } else if id.hasPrefix("openai.gpt-5") || id.hasPrefix("openai.gpt-6") {
            self = .gpt5
        } else if id.hasPrefix("google.gemma") {
            self = .gemma
        } else if Self.provider(of: id, is: "xai") {
            self = .grok
        } else if Self.provider(of: id, is: "anthropic") {
            self = .anthropic
        } else if let family = Self.chatCompletionsOnly.first(where: { id.contains($0.keyword) }) {
            self = family.family
        } else {
            self = .unrecognised
        }
    }

    /// Whether the id's provider part (up to its first dot; the whole id without one) is `provider`.
    private static func provider(of id: String, is provider: String) -> Bool {
        id.utf8.starts(with: provider.utf8) && id.utf8.dropFirst(provider.utf8.count).first.map { $0 == UInt8(ascii: ".") } ?? true
    }

    /// Keywords of the Chat-Completions-only families; matched anywhere in the id because the
    /// provider part differs from the family name (`zai.glm-…`, `moonshotai.kimi-…`, `nvidia.nemotron-…`).
    private static let chatCompletionsOnly: [(keyword: String, family: MantleModelFamily)] = [
        ("qwen", .qwen), ("deepseek", .deepseek), ("mistral", .mistral), ("minimax", .minimax),
        ("glm", .glm), ("kimi", .kimi), ("nemotron", .nemotron),
    ]
}
