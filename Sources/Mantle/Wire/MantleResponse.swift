public import Foundation

/// A Response as Mantle returns it from create, retrieve and cancel, with its raw JSON kept.
///
/// Built from the answer's bytes with `init(json:)`, so `rawJSON` is always the exact body, ready
/// to be stored. Only `id` and `status` are required; every other field may be missing or null,
/// and fields this client does not know (`billing`, `frequency_penalty`, future ones) are ignored.
public struct MantleResponse: Sendable, Hashable {
    /// The Response id (`resp_…`), scoped to the Region and project that created it.
    public var id: String
    /// Where the Response is in its life.
    public var status: ResponseStatus
    /// The model that served it.
    public var model: String?
    /// When it was created.
    public var createdAt: Date?
    /// When it completed (present only for `completed`).
    public var completedAt: Date?
    /// Whether it runs in background mode.
    public var background: Bool?
    /// The failure of a `failed` Response.
    public var error: ResponseError?
    /// Why an `incomplete` Response stopped (`incomplete_details.reason`).
    public var incompleteReason: IncompleteReason?
    /// The output items, in order.
    public var output: [OutputItem]
    /// Token usage; null for some cancelled Responses.
    public var usage: ResponseUsage?
    /// The metadata sent at creation (empty when none or null).
    public var metadata: [String: String]
    /// The instructions echoed back.
    public var instructions: String?
    /// The `max_output_tokens` echoed back.
    public var maxOutputTokens: Int?
    /// The Response this one continues.
    public var previousResponseID: String?
    /// The exact JSON bytes of the answer, for storage.
    public var rawJSON: Data

    /// Decodes a Response from the bytes of an answer and keeps them.
    public init(json: Data) throws {
        if let response = Self(strictJSON: json) {
            self = response
            return
        }
        try self.init(decoding: json)
    }

    /// Decodes a Response with `JSONDecoder`: what `init(json:)` falls back to, and what the
    /// strict reader must agree with (`StrictJSONTests`).
    init(decoding json: Data) throws {
        let wire = try JSONDecoder().decode(Wire.self, from: json)
        id = wire.id
        status = wire.status
        model = wire.model
        createdAt = wire.createdAt.map(Date.init(timeIntervalSince1970:))
        completedAt = wire.completedAt.map(Date.init(timeIntervalSince1970:))
        background = wire.background
        error = wire.error
        incompleteReason = wire.incompleteDetails?.reason
        output = wire.output ?? []
        usage = wire.usage
        metadata = wire.metadata?.value ?? [:]
        instructions = wire.instructions
        maxOutputTokens = wire.maxOutputTokens
        previousResponseID = wire.previousResponseID
        rawJSON = json
    }

    /// The answer text: every `output_text` part of every `message` item, joined in order with
    /// nothing between them (as openai-python's `output_text`). The wire has no such field.
    public var outputText: String {
        output.reduce(into: "") { text, item in
            if case .message(let message) = item { text += message.text }
        }
    }

    /// The reasoning items, apart from the answer.
    public var reasoning: [ReasoningItem] {
        output.compactMap { if case .reasoning(let item) = $0 { item } else { nil } }
    }

    /// The refusals in the message items, if the model refused.
    public var refusals: [String] {
        output.flatMap { item -> [String] in
            guard case .message(let message) = item else { return [] }
            return message.content.compactMap { if case .refusal(let text) = $0 { text } else { nil } }
        }
    }

    /// True when `status` is terminal.
    public var isTerminal: Bool { status.isTerminal }

    private struct Wire: Decodable {
        var id: String
        var status: ResponseStatus
        var model: String?
        var createdAt: Double?
        var completedAt: Double?
        var background: Bool?
        var error: ResponseError?
        var incompleteDetails: IncompleteDetails?
        var output: [OutputItem]?
        var usage: ResponseUsage?
        var metadata: LenientMetadata?
        var instructions: String?
        var maxOutputTokens: Int?
        var previousResponseID: String?

        enum CodingKeys: String, CodingKey {
            case id, status, model, background, error, output, usage, metadata, instructions
            case createdAt = "created_at"
            case completedAt = "completed_at"
            case incompleteDetails = "incomplete_details"
            case maxOutputTokens = "max_output_tokens"
            case previousResponseID = "previous_response_id"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            status = try container.decode(ResponseStatus.self, forKey: .status)
            output = try container.decodeIfPresent([OutputItem].self, forKey: .output)
            usage = try container.decodeIfPresent(ResponseUsage.self, forKey: .usage)
            error = try container.decodeIfPresent(ResponseError.self, forKey: .error)
            incompleteDetails = try container.decodeIfPresent(IncompleteDetails.self, forKey: .incompleteDetails)
            // Echoed request fields are informational; a shape this client does not expect (the spec
            // allows `instructions` as an item array, for one) must not fail the whole Response.
            model = try? container.decodeIfPresent(String.self, forKey: .model)
            createdAt = try? container.decodeIfPresent(Double.self, forKey: .createdAt)
            completedAt = try? container.decodeIfPresent(Double.self, forKey: .completedAt)
            background = try? container.decodeIfPresent(Bool.self, forKey: .background)
            metadata = try? container.decodeIfPresent(LenientMetadata.self, forKey: .metadata)
            instructions = try? container.decodeIfPresent(String.self, forKey: .instructions)
            maxOutputTokens = try? container.decodeIfPresent(Int.self, forKey: .maxOutputTokens)
            previousResponseID = try? container.decodeIfPresent(String.self, forKey: .previousResponseID)
        }
    }

    private struct IncompleteDetails: Decodable {
        var reason: IncompleteReason?
    }

    /// Metadata that reads non-string values as their JSON text instead of failing the Response.
    private struct LenientMetadata: Decodable {
        var value: [String: String]

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            // Metadata is strings as sent (Mantle's rule for requests): read them as such first;
            // going through `JSONValue` for every value was a third of a Response's decoding.
            if let strings = try? container.decode([String: String].self) {
                value = strings
                return
            }
            let raw = try container.decode([String: JSONValue].self)
            value = raw.compactMapValues { json in
                switch json {
                case .string(let text): text
                case .number(let number): String(number)
                case .bool(let flag): String(flag)
                case .null, .array, .object: nil
                }
            }
        }
    }
}
