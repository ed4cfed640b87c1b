/// The `input` of a create request: a plain string (one user message) or a list of messages.
public enum ResponseInput: Sendable, Hashable, Codable {
    /// Shorthand for one user message.
    case text(String)
    /// The EasyInputMessage array form.
    case messages([InputMessage])

    /// Reads either form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .messages(try container.decode([InputMessage].self))
        }
    }

    /// Writes a string or an array.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .messages(let messages): try container.encode(messages)
        }
    }
}

/// One message of the array form of `input`: `{"role","content","type":"message"}`.
public struct InputMessage: Sendable, Hashable, Codable {
    /// Who speaks.
    public enum Role: String, Sendable, Hashable, Codable {
        case user, assistant, system, developer
    }

    /// The message text: a string, or `input_text` parts.
    public enum Content: Sendable, Hashable, Codable {
        /// A plain string.
        case text(String)
        /// `[{"type":"input_text","text":…}]`.
        case parts([String])

        private struct Part: Codable {
            var type: String
            var text: String
        }

        /// Reads a string or an array of `input_text` parts.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .parts(try container.decode([Part].self).filter { $0.type == "input_text" }.map(\.text))
            }
        }

        /// Writes a string or an array of `input_text` parts.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .parts(let texts): try container.encode(texts.map { Part(type: "input_text", text: $0) })
            }
        }
    }

    /// Who speaks.
    public var role: Role
    /// What is said.
    public var content: Content

    /// A message from `role` with `content`.
    public init(role: Role, content: Content) {
        self.role = role
        self.content = content
    }

    /// A user message holding `text` as one `input_text` part.
    public static func user(_ text: String) -> InputMessage {
        InputMessage(role: .user, content: .parts([text]))
    }

    private enum CodingKeys: String, CodingKey { case type, role, content }

    /// Reads a message; `type` is optional on the wire.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(Role.self, forKey: .role)
        content = try container.decode(Content.self, forKey: .content)
    }

    /// Writes the message with `"type":"message"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("message", forKey: .type)
        try container.encode(role, forKey: .role)
        try container.encode(content, forKey: .content)
    }
}
