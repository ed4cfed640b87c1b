/// The output format requested in `text.format`.
public enum TextFormat: Sendable, Hashable, Codable {
    /// Plain text (the default).
    case text
    /// Any JSON object.
    case jsonObject
    /// JSON that follows `schema`; `name` is at most 64 characters of `[a-zA-Z0-9_-]`.
    case jsonSchema(name: String, schema: JSONValue, strict: Bool?, description: String?)

    private enum CodingKeys: String, CodingKey { case type, name, schema, strict, description }

    /// Reads `{"type":…}` and the schema fields.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "json_object": self = .jsonObject
        case "json_schema":
            self = .jsonSchema(
                name: try container.decode(String.self, forKey: .name),
                schema: try container.decodeIfPresent(JSONValue.self, forKey: .schema) ?? .object([:]),
                strict: try container.decodeIfPresent(Bool.self, forKey: .strict),
                description: try container.decodeIfPresent(String.self, forKey: .description)
            )
        default: self = .text
        }
    }

    /// Writes `{"type":…}` and, for a schema, its fields.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text: try container.encode("text", forKey: .type)
        case .jsonObject: try container.encode("json_object", forKey: .type)
        case .jsonSchema(let name, let schema, let strict, let description):
            try container.encode("json_schema", forKey: .type)
            try container.encode(name, forKey: .name)
            try container.encode(schema, forKey: .schema)
            try container.encodeIfPresent(strict, forKey: .strict)
            try container.encodeIfPresent(description, forKey: .description)
        }
    }
}
