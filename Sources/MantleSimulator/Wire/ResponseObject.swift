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
