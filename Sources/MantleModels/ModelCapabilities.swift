/// What one model id can be called through, and where: the answer to "which API runs this model".
public struct ModelCapabilities: Sendable, Hashable {
    /// The id asked about.
    public let model: String
    /// Its row of the table, or nil for an id no row covers.
    public let family: ModelFamily?
    /// The APIs this id can be called through, best first (``preferredAPI``). For an unknown
    /// family: Responses on `/v1`, where Mantle serves most models, and Mantle judges.
    public let apis: [ModelAPI]
    /// The prefix of its routes on Mantle.
    public let pathPrefix: ModelPathPrefix
    /// The inference-profile geography of a cross-Region id (`us`, `global` …), or nil.
    public let geography: String?

    /// The API Longhaul uses for this id.
    public var preferredAPI: ModelAPI? { apis.first }

    /// Whether the id can be called through `api`.
    public func supports(_ api: ModelAPI) -> Bool { apis.contains(api) }

    /// Its context window, input cap and output limit.
    public var limits: ContextLimits { family?.limits ?? ModelLimits.fallback }

    /// The Mantle path of `api` for this id (`/openai/v1/responses`, `/v1/chat/completions`,
    /// `/anthropic/v1/messages`), or the bedrock-runtime path (`/model/{id}/invoke-with-response-stream`
    /// when `stream`, with the id percent-encoded as a path segment, `:` kept as the SDKs send it).
    public func path(for api: ModelAPI, stream: Bool = true) -> String {
        switch api {
        case .responses: "\(pathPrefix.rawValue)/responses"
        case .chatCompletions: "\(pathPrefix.rawValue)/chat/completions"
        case .anthropicMessages: "\(ModelPathPrefix.anthropicV1.rawValue)/messages"
        case .bedrockInvoke: "/model/\(Self.pathSegment(model))/\(stream ? "invoke-with-response-stream" : "invoke")"
        }
    }

    /// `id` percent-encoded for a path segment: unreserved characters and `:` stay (as
    /// `urllib.parse.quote(id, safe=":")` in the anthropic SDK), everything else is `%XX`.
    static func pathSegment(_ id: String) -> String {
        var out = ""
        for byte in id.utf8 {
            if UnreservedCharacters.contains(byte) || byte == UInt8(ascii: ":") {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
