/// `status` of a Response.
enum ResponseStatus: String, Encodable, Sendable {
    case queued, inProgress = "in_progress", completed, incomplete, failed, cancelled

    var isTerminal: Bool {
        switch self {
        case .queued, .inProgress: false
        case .completed, .incomplete, .failed, .cancelled: true
        }
    }
}

/// `usage` of a Response, every field present as Mantle sends it.
struct ResponseUsage: Encodable, Sendable, Equatable {
    struct InputDetails: Encodable, Sendable, Equatable {
        var cachedTokens = 0
        var cacheWriteTokens = 0
        enum CodingKeys: String, CodingKey {
            case cachedTokens = "cached_tokens"
            case cacheWriteTokens = "cache_write_tokens"
        }
    }

    struct OutputDetails: Encodable, Sendable, Equatable {
        var reasoningTokens: Int
        enum CodingKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }
    }

    var inputTokens: Int
    var inputTokensDetails = InputDetails()
    var outputTokens: Int
    var outputTokensDetails: OutputDetails
    var totalTokens: Int

    init(inputTokens: Int, outputTokens: Int, reasoningTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.outputTokensDetails = .init(reasoningTokens: reasoningTokens)
        self.totalTokens = inputTokens + outputTokens
    }

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case inputTokensDetails = "input_tokens_details"
        case outputTokens = "output_tokens"
        case outputTokensDetails = "output_tokens_details"
        case totalTokens = "total_tokens"
    }
}

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

/// `error` of a failed Response.
struct ResponseError: Encodable, Sendable {
    let code: String
    let message: String
}

/// The Response object as it goes on the wire: every documented key present, `null` included,
/// and no top-level `output_text` (that is an SDK convenience, absent from Mantle's bodies).
struct ResponseObject: Encodable, Sendable {
    let id: String
    let createdAt: Int
    let status: ResponseStatus
    let completedAt: Int?
    let error: ResponseError?
    let incompleteReason: String?
    let output: [OutputItem]
    let usage: ResponseUsage?
    let echo: EchoedRequestFields

    private enum Keys: String, CodingKey {
        case id, object
        case createdAt = "created_at"
        case status, background, billing
        case completedAt = "completed_at"
        case error
        case incompleteDetails = "incomplete_details"
        case instructions
        case maxOutputTokens = "max_output_tokens"
        case maxToolCalls = "max_tool_calls"
        case model, output
        case parallelToolCalls = "parallel_tool_calls"
        case previousResponseID = "previous_response_id"
        case reasoning
        case serviceTier = "service_tier"
        case store, temperature, text
        case toolChoice = "tool_choice"
        case tools
        case topP = "top_p"
        case truncation, usage, user, metadata
    }

    private struct IncompleteDetails: Encodable { let reason: String }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id, forKey: .id)
        try c.encode("response", forKey: .object)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(status, forKey: .status)
        try c.encode(echo.background, forKey: .background)
        try c.encode(["payer": "developer"], forKey: .billing)
        try c.encode(completedAt, forKey: .completedAt)
        try c.encode(error, forKey: .error)
        try c.encode(incompleteReason.map(IncompleteDetails.init(reason:)), forKey: .incompleteDetails)
        try c.encode(echo.instructions, forKey: .instructions)
        try c.encode(echo.maxOutputTokens, forKey: .maxOutputTokens)
        try c.encode(Int?.none, forKey: .maxToolCalls)
        try c.encode(echo.model, forKey: .model)
        try c.encode(output, forKey: .output)
        try c.encode(echo.parallelToolCalls, forKey: .parallelToolCalls)
        try c.encode(echo.previousResponseID, forKey: .previousResponseID)
        try c.encode(echo.reasoning, forKey: .reasoning)
        try c.encode(echo.serviceTier, forKey: .serviceTier)
        try c.encode(echo.store, forKey: .store)
        try c.encode(echo.temperature, forKey: .temperature)
        try c.encode(echo.text, forKey: .text)
        try c.encode(echo.toolChoice, forKey: .toolChoice)
        try c.encode(echo.tools, forKey: .tools)
        try c.encode(echo.topP, forKey: .topP)
        try c.encode(echo.truncation, forKey: .truncation)
        try c.encode(usage, forKey: .usage)
        try c.encode(echo.user, forKey: .user)
        try c.encode(echo.metadata, forKey: .metadata)
    }
}

/// Request fields that every rendering of a Response echoes, with Mantle's defaults filled in.
struct EchoedRequestFields: Sendable {
    let model: String
    let instructions: String?
    let metadata: [String: String]
    let background: Bool
    let store: Bool
    let maxOutputTokens: Int?
    let temperature: Double
    let topP: Double
    let reasoning: JSONValue
    let text: JSONValue
    let previousResponseID: String?
    let serviceTier: String
    let user: String?
    let toolChoice: JSONValue
    let tools: JSONValue
    let parallelToolCalls: Bool
    let truncation: String

    init(_ request: CreateResponseRequest, model: String) {
        self.model = model
        instructions = request.instructions
        metadata = request.metadata ?? [:]
        background = request.background ?? false
        store = request.store ?? true
        maxOutputTokens = request.maxOutputTokens
        temperature = request.temperature ?? 1
        topP = request.topP ?? 1
        reasoning = JSONValue.object(["effort": .null, "summary": .null]).merging(request.reasoningJSON ?? .object([:]))
        text = JSONValue.object(["format": .object(["type": .string("text")]), "verbosity": .string("medium")])
            .merging(request.text ?? .object([:]))
        previousResponseID = request.previousResponseID
        // Mantle answered `auto` with `default` ([AWSS] 00-foundations/03).
        serviceTier = request.serviceTier.map { $0 == "auto" ? "default" : $0 } ?? "default"
        user = request.user
        toolChoice = request.toolChoice ?? .string("auto")
        tools = request.tools ?? .array([])
        parallelToolCalls = request.parallelToolCalls ?? true
        truncation = request.truncation ?? "disabled"
    }
}
