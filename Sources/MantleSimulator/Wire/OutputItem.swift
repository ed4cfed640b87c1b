/// An item of `output`.
enum OutputItem: Encodable, Sendable {
    case reasoning(id: String, text: String)
    case message(id: String, status: ResponseStatus, text: String)

    private enum Keys: String, CodingKey { case type, id, summary, content, status, role, text, annotations, logprobs }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .reasoning(let id, let text):
            try c.encode("reasoning", forKey: .type)
            try c.encode(id, forKey: .id)
            try c.encode([String](), forKey: .summary)
            try c.encode([TextPart(type: "reasoning_text", text: text)], forKey: .content)
        case .message(let id, let status, let text):
            try c.encode("message", forKey: .type)
            try c.encode(id, forKey: .id)
            try c.encode(status, forKey: .status)
            try c.encode("assistant", forKey: .role)
            var parts = c.nestedUnkeyedContainer(forKey: .content)
            var part = parts.nestedContainer(keyedBy: Keys.self)
            try part.encode("output_text", forKey: .type)
            try part.encode(text, forKey: .text)
            try part.encode([String](), forKey: .annotations)
            try part.encode([String](), forKey: .logprobs)
        }
    }

    private struct TextPart: Encodable {
        let type: String
        let text: String
    }
}
