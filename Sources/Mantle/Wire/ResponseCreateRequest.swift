/// The body of `POST {prefix}/responses`, as Longhaul sends it.
///
/// `background` and `store` are not fields: they are always written as `true`, because a
/// background Response is only kept for polling past ~10 minutes when `store` is explicitly true
/// (`shared/mantle-api.md` §4). Call `validate()` (the client does) to check the documented limits
/// before anything is sent.
public struct ResponseCreateRequest: Sendable, Hashable, Codable {
    /// The Mantle model id, e.g. `openai.gpt-oss-120b`; sent on every request.
    public var model: String
    /// The system/developer message.
    public var instructions: String?
    /// The user input: a string or messages.
    public var input: ResponseInput
    /// Upper bound on visible plus reasoning tokens; at least 16.
    public var maxOutputTokens: Int?
    /// Up to 16 pairs; keys up to 64 characters, values up to 512.
    public var metadata: [String: String]?
    /// `reasoning.effort`.
    public var reasoningEffort: ReasoningEffort?
    /// `text.format`.
    public var textFormat: TextFormat?
    /// `service_tier`; nil leaves it to the endpoint.
    public var serviceTier: ServiceTier?
    /// Answer as server-sent events (`stream: true`) while the Response runs in the background:
    /// the end is seen the moment it comes, and a dropped stream resumes or falls back to polls.
    public var stream: Bool = false

    /// The smallest `max_output_tokens` the API accepts.
    public static let minimumMaxOutputTokens = 16
    /// The most metadata pairs.
    public static let maximumMetadataPairs = 16
    /// The longest metadata key, in Unicode scalars.
    public static let maximumMetadataKeyLength = 64
    /// The longest metadata value, in Unicode scalars.
    public static let maximumMetadataValueLength = 512
    /// The longest `json_schema` format name.
    public static let maximumSchemaNameLength = 64

    /// A request for `model` with `input` and the optional settings.
    public init(
        model: String,
        instructions: String? = nil,
        input: ResponseInput,
        maxOutputTokens: Int? = nil,
        metadata: [String: String]? = nil,
        reasoningEffort: ReasoningEffort? = nil,
        textFormat: TextFormat? = nil,
        serviceTier: ServiceTier? = nil
    ) {
        self.model = model
        self.instructions = instructions
        self.input = input
        self.maxOutputTokens = maxOutputTokens
        self.metadata = metadata
        self.reasoningEffort = reasoningEffort
        self.textFormat = textFormat
        self.serviceTier = serviceTier
    }

    /// Checks the documented limits; the error's `param` names the field and its message the limit.
    ///
    /// Lengths are counted in Unicode scalars, as the Python reference counts `len(str)`.
    public func validate() throws(MantleError) {
        if model.trimmingWhitespace.isEmpty {
            throw .invalidRequest(param: "model", "model is empty; name a Mantle model such as openai.gpt-oss-120b")
        }
        if let maxOutputTokens, maxOutputTokens < Self.minimumMaxOutputTokens {
            throw .invalidRequest(
                param: "max_output_tokens",
                "max_output_tokens is \(maxOutputTokens); the Responses API requires at least \(Self.minimumMaxOutputTokens)"
            )
        }
        if let metadata {
            if metadata.count > Self.maximumMetadataPairs {
                throw .invalidRequest(
                    param: "metadata",
                    "metadata has \(metadata.count) pairs; at most \(Self.maximumMetadataPairs) are allowed"
                )
            }
            for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
                if key.unicodeScalars.count > Self.maximumMetadataKeyLength {
                    throw .invalidRequest(
                        param: "metadata",
                        "metadata key '\(key.prefix(20))…' is \(key.unicodeScalars.count) characters; keys may have at most \(Self.maximumMetadataKeyLength)"
                    )
                }
                if value.unicodeScalars.count > Self.maximumMetadataValueLength {
                    throw .invalidRequest(
                        param: "metadata.\(key)",
                        "metadata value for '\(key)' is \(value.unicodeScalars.count) characters; values may have at most \(Self.maximumMetadataValueLength)"
                    )
                }
            }
        }
        if case .jsonSchema(let name, _, _, _)? = textFormat {
            let allowed = name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                    || $0 == "_" || $0 == "-"
            }
            if name.isEmpty || name.unicodeScalars.count > Self.maximumSchemaNameLength || !allowed {
                throw .invalidRequest(
                    param: "text.format.name",
                    "the json_schema name must be 1 to \(Self.maximumSchemaNameLength) characters of a-z, A-Z, 0-9, _ and -"
                )
            }
        }
    }

    private enum CodingKeys: String, CodingKey {
        case model, instructions, input, metadata, reasoning, text, background, store, stream
        case maxOutputTokens = "max_output_tokens"
        case serviceTier = "service_tier"
    }

    private struct Reasoning: Codable { var effort: ReasoningEffort? }
    private struct Text: Codable { var format: TextFormat? }

    /// Reads a request body (the simulator and tests); `background` and `store` are ignored.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(String.self, forKey: .model)
        instructions = try container.decodeIfPresent(String.self, forKey: .instructions)
        input = try container.decode(ResponseInput.self, forKey: .input)
        maxOutputTokens = try container.decodeIfPresent(Int.self, forKey: .maxOutputTokens)
        metadata = try container.decodeIfPresent([String: String].self, forKey: .metadata)
        reasoningEffort = try container.decodeIfPresent(Reasoning.self, forKey: .reasoning)?.effort
        textFormat = try container.decodeIfPresent(Text.self, forKey: .text)?.format
        serviceTier = try container.decodeIfPresent(ServiceTier.self, forKey: .serviceTier)
        stream = try container.decodeIfPresent(Bool.self, forKey: .stream) ?? false
    }

    /// Writes the body with `background: true` and `store: true`. The client sends the same bytes
    /// written by hand (`jsonBody(operation:)`, in ResponseCreateRequest+JSONBytes.swift).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encodeIfPresent(instructions, forKey: .instructions)
        try container.encode(input, forKey: .input)
        try container.encode(true, forKey: .background)
        try container.encode(true, forKey: .store)
        try container.encodeIfPresent(maxOutputTokens, forKey: .maxOutputTokens)
        try container.encodeIfPresent(metadata, forKey: .metadata)
        if let reasoningEffort { try container.encode(Reasoning(effort: reasoningEffort), forKey: .reasoning) }
        if let textFormat { try container.encode(Text(format: textFormat), forKey: .text) }
        try container.encodeIfPresent(serviceTier, forKey: .serviceTier)
        if stream { try container.encode(true, forKey: .stream) }
    }
}
