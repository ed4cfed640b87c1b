/// An Anthropic Messages body: Mantle's `/anthropic/v1/messages` (model in the body) and
/// bedrock-runtime's InvokeModel (model in the path, `anthropic_version` in the body).
struct MessagesRequest: Decodable, Sendable {
    enum Role: String, Decodable, Sendable { case user, assistant }

    /// Content: a string or a list of blocks; only `text` blocks carry text the simulator reads,
    /// and a block with `cache_control` ends a prefix the model may cache.
    struct Content: Decodable, Sendable {
        struct Block: Decodable, Sendable {
            let type: String
            let text: String?
            let cacheControl: JSONValue?

            enum CodingKeys: String, CodingKey {
                case type, text
                case cacheControl = "cache_control"
            }
        }

        let blocks: [Block]

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) {
                blocks = [Block(type: "text", text: s, cacheControl: nil)]
            } else {
                blocks = try c.decode([Block].self)
            }
        }

        var text: String { blocks.compactMap { $0.type == "text" ? $0.text : nil }.joined(separator: "\n\n") }
    }

    struct Message: Decodable, Sendable {
        let role: Role
        let content: Content
    }

    let model: String?
    let maxTokens: Int?
    let messages: [Message]?
    let system: Content?
    let stream: Bool?
    let anthropicVersion: String?

    enum CodingKeys: String, CodingKey {
        case model, messages, system, stream
        case maxTokens = "max_tokens"
        case anthropicVersion = "anthropic_version"
    }

    /// The text of the system prompt and the messages up to the last block marked
    /// `cache_control`, or nil when none is marked: the prefix a prompt cache keeps.
    var cachedPrefix: String? {
        let blocks = (system?.blocks ?? []) + (messages ?? []).flatMap(\.content.blocks)
        guard let last = blocks.lastIndex(where: { $0.cacheControl != nil && $0.cacheControl != .null }) else { return nil }
        return blocks[...last].compactMap(\.text).joined(separator: "\n\n")
    }

    /// User turns: the document.
    var document: String { (messages ?? []).filter { $0.role == .user }.map(\.content.text).joined(separator: "\n\n") }
}

extension DecodingError {
    /// The message Anthropic's validation gives (`messages.0.role: Input should be …`).
    var anthropicDetail: String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context.codingPath)): Input should be a valid value of its type"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): Field required"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "The request body is not valid JSON." }
            return "\(path(context.codingPath)): Input should be one of the allowed values"
        @unknown default:
            return "The request body is invalid."
        }
    }
}
