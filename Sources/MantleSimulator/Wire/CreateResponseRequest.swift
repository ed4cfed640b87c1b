import Foundation

/// The body of `POST {prefix}/responses`, as far as the simulator reads it.
///
/// Unknown fields are ignored; fields with a closed set of values (roles, reasoning effort) are
/// checked so that a bad value gets Mantle's "Failed to deserialize" 400.
struct CreateResponseRequest: Decodable, Sendable, Equatable {
    enum Role: String, Decodable, Sendable { case user, assistant, system, developer }
    enum ReasoningEffort: String, Decodable, Sendable { case none, minimal, low, medium, high, xhigh, max }

    /// One content part of an input message.
    struct ContentPart: Decodable, Sendable, Equatable {
        let type: String
        let text: String?
    }

    /// A message's content: a string or a list of parts.
    enum Content: Decodable, Sendable, Equatable {
        case text(String)
        case parts([ContentPart])

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) {
                self = .text(s)
            } else {
                self = .parts(try c.decode([ContentPart].self))
            }
        }

        var texts: [String] {
            switch self {
            case .text(let s): [s]
            case .parts(let parts): parts.compactMap { $0.type == "input_text" || $0.type == "output_text" ? $0.text : nil }
            }
        }
    }

    /// One input item; only messages carry text the simulator reads.
    struct InputItem: Decodable, Sendable, Equatable {
        let type: String?
        let role: Role?
        let content: Content?
    }

    /// `input`: a string or a list of items.
    enum Input: Decodable, Sendable, Equatable {
        case text(String)
        case items([InputItem])

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) {
                self = .text(s)
            } else {
                self = .items(try c.decode([InputItem].self))
            }
        }

        /// The text of the user's document: the string, or the text parts of user messages.
        var documentText: String {
            switch self {
            case .text(let s): s
            case .items(let items):
                items.filter { $0.role == nil || $0.role == .user }
                    .flatMap { $0.content?.texts ?? [] }
                    .joined(separator: "\n\n")
            }
        }

        var messageCount: Int {
            switch self {
            case .text: 1
            case .items(let items): items.count
            }
        }
    }

    struct Reasoning: Decodable, Sendable, Equatable {
        let effort: ReasoningEffort?
    }

    let model: String?
    let input: Input?
    let instructions: String?
    let background: Bool?
    let store: Bool?
    let maxOutputTokens: Int?
    let metadata: [String: String]?
    let temperature: Double?
    let topP: Double?
    let reasoning: Reasoning?
    let previousResponseID: String?
    let serviceTier: String?
    /// Echoed verbatim.
    let reasoningJSON: JSONValue?
    let text: JSONValue?
    let user: String?
    let toolChoice: JSONValue?
    let tools: JSONValue?
    let parallelToolCalls: Bool?
    let truncation: String?
    /// Answer as server-sent events instead of one JSON body.
    let stream: Bool?

    enum CodingKeys: String, CodingKey {
        case model, input, instructions, background, store
        case maxOutputTokens = "max_output_tokens"
        case metadata, temperature
        case topP = "top_p"
        case reasoning
        case previousResponseID = "previous_response_id"
        case serviceTier = "service_tier"
        case text, user
        case toolChoice = "tool_choice"
        case tools
        case parallelToolCalls = "parallel_tool_calls"
        case truncation, stream
    }
}

extension CreateResponseRequest {
    /// In an extension, so the memberwise initialiser stays (the strict reader builds with it).
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        input = try c.decodeIfPresent(Input.self, forKey: .input)
        instructions = try c.decodeIfPresent(String.self, forKey: .instructions)
        background = try c.decodeIfPresent(Bool.self, forKey: .background)
        store = try c.decodeIfPresent(Bool.self, forKey: .store)
        maxOutputTokens = try c.decodeIfPresent(Int.self, forKey: .maxOutputTokens)
        metadata = try c.decodeIfPresent([String: String].self, forKey: .metadata)
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature)
        topP = try c.decodeIfPresent(Double.self, forKey: .topP)
        reasoning = try c.decodeIfPresent(Reasoning.self, forKey: .reasoning)
        reasoningJSON = try c.decodeIfPresent(JSONValue.self, forKey: .reasoning)
        previousResponseID = try c.decodeIfPresent(String.self, forKey: .previousResponseID)
        serviceTier = try c.decodeIfPresent(String.self, forKey: .serviceTier)
        text = try c.decodeIfPresent(JSONValue.self, forKey: .text)
        user = try c.decodeIfPresent(String.self, forKey: .user)
        toolChoice = try c.decodeIfPresent(JSONValue.self, forKey: .toolChoice)
        tools = try c.decodeIfPresent(JSONValue.self, forKey: .tools)
        parallelToolCalls = try c.decodeIfPresent(Bool.self, forKey: .parallelToolCalls)
        truncation = try c.decodeIfPresent(String.self, forKey: .truncation)
        stream = try c.decodeIfPresent(Bool.self, forKey: .stream)
    }
}

extension DecodingError {
    /// A one-line account in the style of the serde errors Mantle returns
    /// ("input[0].role: unknown variant …"), without echoing large values.
    var mantleDetail: String {
        func path(_ keys: [any CodingKey]) -> String {
            var out = ""
            for key in keys {
                if let index = key.intValue {
                    out += "[\(index)]"
                } else {
                    out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return out.isEmpty ? "body" : out
        }
        switch self {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): invalid type, expected \(Self.wireName(of: type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): invalid type: null, expected \(Self.wireName(of: type))"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing field `\(key.stringValue)`"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "expected a JSON object: the body is not valid JSON" }
            return "\(path(context.codingPath)): unknown variant or invalid value"
        @unknown default:
            return "invalid body"
        }
    }

    private static func wireName(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        default: "a value of another type"
        }
    }
}
