import HTTPTypes
import MantleModels

/// One model the simulator serves, with what Bedrock lets you do with it (from ``ModelTable``).
struct SimulatedModel: Sendable {
    let id: String
    let ownedBy: String
    let capabilities: ModelCapabilities
    /// Reasoning tokens a generation spends before its text (0 for models that do not reason).
    let reasoningTokens: Int
    /// Context window, input cap, output limit: the row of the table Longhaul plans with.
    var limits: ContextLimits { capabilities.limits }
    /// Largest output; used as the output budget when the request leaves it unset.
    var maximumOutputTokens: Int { limits.maxOutputTokens }
    /// The prefix of its routes on Mantle.
    var prefix: ModelPathPrefix { capabilities.pathPrefix }
}

/// The models of a simulated Region: Mantle lists the ``ModelTable/knownModels`` it serves, and
/// bedrock-runtime serves every Claude id (bare or cross-Region).
enum ModelCatalogue {
    /// Reasoning tokens per generation at medium effort; a simulator figure, not Bedrock's.
    private static func reasoningTokens(_ id: String) -> Int {
        switch ModelTable.family(of: id)?.name {
        case "gpt-oss": id.hasSuffix("-20b") ? 16 : 24
        case "gpt-5": 64
        case "grok-4": 32
        default: 0
        }
    }

    private static func simulated(_ id: String, ownedBy: String) -> SimulatedModel {
        SimulatedModel(id: id, ownedBy: ownedBy, capabilities: ModelTable.capabilities(of: id), reasoningTokens: reasoningTokens(id))
    }

    /// What `GET /v1/models` lists.
    static let models: [SimulatedModel] = ModelTable.knownModels.filter(\.onMantle).map { simulated($0.id, ownedBy: $0.ownedBy) }

    private static let byID: [String: SimulatedModel] = Dictionary(uniqueKeysWithValues: models.map { ($0.id, $0) })

    /// A model Mantle serves, by exact id.
    static func model(_ id: String) -> SimulatedModel? { byID[id] }

    /// A model bedrock-runtime serves: any id of a family that runs there (Claude).
    static func runtimeModel(_ id: String) -> SimulatedModel? {
        let capabilities = ModelTable.capabilities(of: id)
        guard capabilities.supports(.bedrockInvoke) else { return nil }
        return SimulatedModel(id: id, ownedBy: "anthropic", capabilities: capabilities, reasoningTokens: 0)
    }

    /// Why `model` cannot be used for `POST {prefix}{route}` on one of Mantle's OpenAI-compatible
    /// routes (`/responses`, `/chat/completions`), in Mantle's words, or nil.
    static func openAIRouteProblem(model id: String, api: ModelAPI, prefix: ModelPathPrefix, route: String) -> MantleErrorBody? {
        guard let model = byID[id] else {
            return .invalidRequest(
                "The model '\(id)' does not exist or does not support this API.",
                param: "model",
                code: "model_not_found",
                status: .notFound
            )
        }
        guard model.capabilities.supports(api) else {
            return .invalidRequest(
                "The model '\(id)' does not support the '\(prefix.rawValue)\(route)' API",
                param: "model",
                code: "validation_error"
            )
        }
        guard model.prefix == prefix else {
            // Recorded: an /openai/v1 model on /v1 is refused as if it were not enabled (401),
            // a /v1 model on /openai/v1 gets a 400 validation_error.
            if model.prefix == .openAIV1 {
                return .invalidRequest(
                    "Model '\(id)' is not enabled for this account (access_denied)",
                    code: "access_denied",
                    status: .unauthorized
                )
            }
            return .invalidRequest(
                "The model '\(id)' isn't supported on this route.",
                param: "model",
                code: "validation_error"
            )
        }
        return nil
    }

    /// Why `POST {prefix}/responses` refuses `model`, or nil.
    static func responsesProblem(model id: String, prefix: ModelPathPrefix) -> MantleErrorBody? {
        openAIRouteProblem(model: id, api: .responses, prefix: prefix, route: "/responses")
    }
}
