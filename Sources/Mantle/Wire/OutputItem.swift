/// One item of a Response's `output`: a message, a reasoning item, or a type this client skips.
public enum OutputItem: Sendable, Hashable, Codable {
    /// `{"type":"message", …}`: the answer text lives here.
    case message(OutputMessage)
    /// `{"type":"reasoning", …}`: the model's reasoning, kept apart from the answer.
    case reasoning(ReasoningItem)
    /// Any other item (tool calls, future types), kept by its `type` only.
    case other(type: String)

    private enum CodingKeys: String, CodingKey { case type }

    /// Reads the item by its `type`.
    public init(from decoder: any Decoder) throws {
        let type = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .type) ?? ""
        switch type {
        case "message": self = .message(try OutputMessage(from: decoder))
        case "reasoning": self = .reasoning(try ReasoningItem(from: decoder))
        default: self = .other(type: type)
        }
    }

    /// Writes the item (an `.other` item as its type alone).
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .message(let message): try message.encode(to: encoder)
        case .reasoning(let reasoning): try reasoning.encode(to: encoder)
        case .other(let type):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
        }
    }
}

/// An assistant message: `{"type":"message","id","role","status","content":[…]}`.
public struct OutputMessage: Sendable, Hashable, Codable {
    /// One part of the message content.
    public enum Part: Sendable, Hashable, Codable {
        /// `{"type":"output_text","text":…}`.
        case outputText(String)
        /// `{"type":"refusal","refusal":…}`.
        case refusal(String)
        /// A part type this client does not read.
        case other(type: String)

        private enum CodingKeys: String, CodingKey { case type, text, refusal }

        /// Reads the part by its `type`.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let type = try container.decodeIfPresent(String.self, forKey: .type) ?? ""
            switch type {
            case "output_text": self = .outputText(try container.decodeIfPresent(String.self, forKey: .text) ?? "")
            case "refusal": self = .refusal(try container.decodeIfPresent(String.self, forKey: .refusal) ?? "")
            default: self = .other(type: type)
            }
        }

        /// Writes the part.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .outputText(let text):
                try container.encode("output_text", forKey: .type)
                try container.encode(text, forKey: .text)
            case .refusal(let text):
                try container.encode("refusal", forKey: .type)
                try container.encode(text, forKey: .refusal)
            case .other(let type):
                try container.encode(type, forKey: .type)
            }
        }
    }

    /// The item id (`msg_…`).
    public var id: String?
    /// The speaker, `assistant`.
    public var role: String?
    /// `in_progress`, `completed` or `incomplete`.
    public var status: String?
    /// The parts, in order.
    public var content: [Part]

    /// A message with `content`.
    public init(id: String? = nil, role: String? = "assistant", status: String? = nil, content: [Part]) {
        self.id = id
        self.role = role
        self.status = status
        self.content = content
    }

    private enum CodingKeys: String, CodingKey { case type, id, role, status, content }

    /// Reads a message; missing or null content is empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        role = try container.decodeIfPresent(String.self, forKey: .role)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        content = try container.decodeIfPresent([Part].self, forKey: .content) ?? []
    }

    /// Writes the message with `"type":"message"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("message", forKey: .type)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encodeIfPresent(role, forKey: .role)
        try container.encodeIfPresent(status, forKey: .status)
        try container.encode(content, forKey: .content)
    }

    /// The `output_text` parts joined, in order.
    public var text: String {
        content.reduce(into: "") { text, part in
            if case .outputText(let piece) = part { text += piece }
        }
    }
}

/// A reasoning item: `{"type":"reasoning","summary":[{"type":"summary_text","text"}],"content":[{"type":"reasoning_text","text"}]}`.
public struct ReasoningItem: Sendable, Hashable, Codable {
    /// The item id.
    public var id: String?
    /// The texts of the `summary_text` parts.
    public var summary: [String]
    /// The texts of the `reasoning_text` parts (the raw trace, when the model shares it).
    public var content: [String]

    /// A reasoning item.
    public init(id: String? = nil, summary: [String] = [], content: [String] = []) {
        self.id = id
        self.summary = summary
        self.content = content
    }

    private enum CodingKeys: String, CodingKey { case type, id, summary, content }

    private struct Part: Codable {
        var type: String?
        var text: String?
    }

    /// Reads the item; missing or null lists are empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        summary = (try container.decodeIfPresent([Part].self, forKey: .summary) ?? []).compactMap(\.text)
        content = (try container.decodeIfPresent([Part].self, forKey: .content) ?? []).compactMap(\.text)
    }

    /// Writes the item with `"type":"reasoning"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("reasoning", forKey: .type)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encode(summary.map { Part(type: "summary_text", text: $0) }, forKey: .summary)
        try container.encode(content.map { Part(type: "reasoning_text", text: $0) }, forKey: .content)
    }
}
