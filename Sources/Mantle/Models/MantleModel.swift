/// What Mantle can do with one model: which APIs it serves and under which path prefix.
public struct MantleModelCapabilities: Sendable, Hashable {
    /// The model id the capabilities were computed for.
    public let model: String
    /// The family recognised from the id.
    public let family: MantleModelFamily
    /// The APIs the family is known to support; empty for an unrecognised family.
    public let supportedAPIs: Set<MantleAPI>
    /// The prefix of the model's inference routes (`/v1`, `/openai/v1` or `/anthropic/v1`).
    public let pathPrefix: MantlePathPrefix

    /// Whether the Responses API may be used: known to work, or an unrecognised family (which
    /// Mantle then judges; its 400 is a permanent error).
    public var supportsResponses: Bool {
        family == .unrecognised || supportedAPIs.contains(.responses)
    }
}

/// Model knowledge that needs no network call.
public enum MantleModel {
    /// The capabilities of `modelID`, recognised from its family.
    public static func capabilities(of modelID: String) -> MantleModelCapabilities {
        let family = MantleModelFamily(modelID: modelID)
        // The sets are built once: each create and retrieve asks for its model's prefix.
        let apis: Set<MantleAPI>
        let prefix: MantlePathPrefix
        switch family {
        case .gptOSS:
            apis = APIs.responsesAndChat
            prefix = .v1
        case .gpt5, .gemma, .grok:
            // GPT-5.4/5.5 are Responses-only on Mantle; Gemma and Grok also serve Chat Completions
            // there, but Longhaul never relies on that.
            apis = APIs.responses
            prefix = .openAIV1
        case .anthropic:
            apis = APIs.anthropicMessages
            prefix = .anthropicV1
        case .gptOSSSafeguard, .qwen, .deepseek, .mistral, .minimax, .glm, .kimi, .nemotron:
            apis = APIs.chat
            prefix = .v1
        case .unrecognised:
            apis = []
            prefix = .v1
        }
        return MantleModelCapabilities(model: modelID, family: family, supportedAPIs: apis, pathPrefix: prefix)
    }

    private enum APIs {
        static let responsesAndChat: Set<MantleAPI> = [.responses, .chatCompletions]
        static let responses: Set<MantleAPI> = [.responses]
        static let anthropicMessages: Set<MantleAPI> = [.anthropicMessages]
        static let chat: Set<MantleAPI> = [.chatCompletions]
    }

    /// The path prefix for a Responses call with `modelID`, or an `.unsupportedModel` error that
    /// says which API the model does support.
    ///
    /// Call it when a job is enqueued, so a wrong model is refused before any request is sent.
    public static func requireResponses(_ modelID: String) throws(MantleError) -> MantlePathPrefix {
        let trimmed = modelID.trimmingWhitespace
        guard !trimmed.isEmpty else {
            throw MantleError.invalidRequest(param: "model", "model is empty; name a Mantle model such as openai.gpt-oss-120b")
        }
        let capabilities = capabilities(of: trimmed)
        guard capabilities.supportsResponses else {
            let alternatives = MantleAPI.allCases.filter { capabilities.supportedAPIs.contains($0) }
                .map(\.description).joined(separator: " and ")
            throw MantleError.unsupportedModel(
                model: trimmed,
                "model '\(trimmed)' does not support the Responses API on Mantle; it supports only \(alternatives). "
                    + "Choose a Responses model such as openai.gpt-oss-120b, openai.gpt-5.x, google.gemma-* or xai.grok-*"
            )
        }
        return capabilities.pathPrefix
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmingWhitespace: String {
        // Most ids have nothing to trim: no copy then (they are trimmed at every call of a job).
        guard first?.isWhitespace == true || last?.isWhitespace == true else { return self }
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
