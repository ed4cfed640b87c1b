/// The body of `POST {prefix}/chat/completions`, as far as the simulator reads it.
struct ChatCompletionRequest: Decodable, Sendable {
    enum Role: String, Decodable, Sendable { case system, developer, user, assistant, tool }

    /// A message's content: a string or a list of parts (`{"type":"text","text":…}`).
    struct Content: Decodable, Sendable {
        let text: String

        struct Part: Decodable {
            let type: String
            let text: String?
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) {
                text = s
            } else {
                text = try c.decode([Part].self).compactMap { $0.type == "text" ? $0.text : nil }.joined(separator: "\n\n")
            }
        }
    }

    struct Message: Decodable, Sendable {
        let role: Role
        let content: Content?
    }

    struct StreamOptions: Decodable, Sendable {
        let includeUsage: Bool?
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    let model: String?
    let messages: [Message]?
    let maxTokens: Int?
    let maxCompletionTokens: Int?
    let stream: Bool?
    let streamOptions: StreamOptions?
    let metadata: [String: String]?
    let reasoningEffort: CreateResponseRequest.ReasoningEffort?

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, metadata
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case streamOptions = "stream_options"
        case reasoningEffort = "reasoning_effort"
    }

    /// System and developer messages: the instructions.
    var instructions: String? {
        let texts = (messages ?? []).filter { $0.role == .system || $0.role == .developer }.compactMap { $0.content?.text }
        return texts.isEmpty ? nil : texts.joined(separator: "\n\n")
    }

    /// User messages: the document.
    var document: String {
        (messages ?? []).filter { $0.role == .user }.compactMap { $0.content?.text }.joined(separator: "\n\n")
    }

    /// The output budget: `max_completion_tokens` (the current name) or `max_tokens`.
    var budget: Int? { maxCompletionTokens ?? maxTokens }
}
