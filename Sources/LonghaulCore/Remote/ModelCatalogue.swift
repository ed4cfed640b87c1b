import Mantle
import MantleModels

/// One model as `longhaul models` and `GET /v1/models` show it: the API Longhaul runs it on and
/// its limits from the model table.
public struct ModelListing: Sendable, Equatable, Encodable {
    public var id: String
    /// `responses`, `chat_completions`, `anthropic_messages`, `bedrock_runtime`, or nil when
    /// Longhaul cannot run it.
    public var api: String?
    public var contextWindow: Int
    public var maxOutputTokens: Int
    /// Whether the endpoint's `GET /v1/models` lists it (bedrock-runtime-only models are not
    /// listed there); nil when no endpoint was asked (a server that does not reach Mantle).
    public var servedByEndpoint: Bool?

    enum CodingKeys: String, CodingKey {
        case id, api
        case contextWindow = "context_window"
        case maxOutputTokens = "max_output_tokens"
        case servedByEndpoint = "served_by_endpoint"
    }
}

/// What a project can run: the ids its endpoint serves, joined with the model table, plus the
/// Claude models that only bedrock-runtime serves and the project's own entries
/// (`ModelLimitOverride`: their window, and their API where they name one).
public enum ModelCatalogue {
    /// `served` nil: no endpoint was asked, and every model the table knows is listed.
    public static func listing(served: [String]?, entries: [String: ModelLimitOverride] = [:]) -> [ModelListing] {
        let servedSet = served.map(Set.init)
        var ids = Set(served ?? KnownModels.ids).union(entries.keys)
        if served != nil {
            ids.formUnion(KnownModels.ids.filter { (try? ModelRoute.api(for: $0, mantle: true, runtime: true)) == .bedrockRuntime })
        }
        return ids.sorted().map { id in entry(id, served: servedSet?.contains(id), own: entries[id]) }
    }

    private static func entry(_ id: String, served: Bool?, own: ModelLimitOverride?) -> ModelListing {
        let table = ModelLimits.limits(for: id)
        let limits = own.map { $0.apply(to: table) } ?? table
        let known = KnownModels.problem(with: id) == nil
        let api = own?.api ?? (known ? try? ModelRoute.api(for: id, mantle: true, runtime: true) : nil)
        return ModelListing(
            id: id, api: api?.rawValue, contextWindow: limits.contextWindow, maxOutputTokens: limits.maxOutputTokens, servedByEndpoint: served)
    }
}

extension MantleGateway {
    /// The ids `project`'s endpoint lists in `GET /v1/models`.
    public func servedModels(of project: Project) async throws(RemoteCallError) -> [String] {
        let client = try client(for: project)
        do {
            return try await client.listModels().map(\.id)
        } catch {
            throw Self.classify(error)
        }
    }
}
