/// Request fields that every rendering of a Response echoes, with Mantle's defaults filled in.
struct EchoedRequestFields: Sendable {
    let model: String
    let instructions: String?
    let metadata: [String: String]
    let background: Bool
    let store: Bool
    /// Created with `stream: true`: only such a background Response can be streamed again
    /// (`GET …/responses/{id}?stream=true`).
    let stream: Bool
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
        stream = request.stream ?? false
        maxOutputTokens = request.maxOutputTokens
        temperature = request.temperature ?? 1
        topP = request.topP ?? 1
        reasoning = request.reasoningJSON.map(Self.defaultReasoning.merging) ?? Self.defaultReasoning
        text = request.text.map(Self.defaultText.merging) ?? Self.defaultText
        previousResponseID = request.previousResponseID
        // Mantle answered `auto` with `default` ([AWSS] 00-foundations/03).
        serviceTier = request.serviceTier.map { $0 == "auto" ? "default" : $0 } ?? "default"
        user = request.user
        toolChoice = request.toolChoice ?? .string("auto")
        tools = request.tools ?? .array([])
        parallelToolCalls = request.parallelToolCalls ?? true
        truncation = request.truncation ?? "disabled"
    }

    /// Mantle's `reasoning` and `text` when a create leaves them out: built once, not for every
    /// create (three dictionaries and two merges each time), and shared by every stored Response.
    private static let defaultReasoning = JSONValue.object(["effort": .null, "summary": .null])
    private static let defaultText = JSONValue.object(["format": .object(["type": .string("text")]), "verbosity": .string("medium")])
}
