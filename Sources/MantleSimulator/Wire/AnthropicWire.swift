import MantleModels

/// Anthropic Messages on the wire (`shared/models.md`, "Anthropic Messages on Bedrock"): the
/// `message` body and the stream's events, which Mantle sends as SSE and bedrock-runtime wraps
/// in event-stream `chunk` frames.
struct AnthropicWire: Sendable {
    let id: String
    let model: String
    let generation: Generation
    /// bedrock-runtime adds `amazon-bedrock-invocationMetrics` to `message_stop`.
    let invocationMetrics: Bool
    /// Real seconds the generation took, for the invocation metrics.
    let seconds: Double
    /// Input tokens read from the prompt cache, and written to it (both within the input).
    var cache = PromptCache.Use()

    var stopReason: String { generation.reachedBudget ? "max_tokens" : "end_turn" }

    func usage(outputTokens: Int) -> JSONValue {
        [
            "input_tokens": .int(generation.inputTokens - cache.read - cache.written), "output_tokens": .int(outputTokens),
            "cache_creation_input_tokens": .int(cache.written), "cache_read_input_tokens": .int(cache.read),
        ]
    }

    /// The non-streamed body.
    var message: JSONValue {
        [
            "id": .string(id), "type": "message", "role": "assistant", "model": .string(model),
            "content": [["type": "text", "text": .string(generation.text ?? "")]],
            "stop_reason": .string(stopReason), "stop_sequence": nil, "usage": usage(outputTokens: generation.outputTokens),
        ]
    }

    /// `message_start` (usage with the input tokens), `content_block_start`, `ping`.
    var opening: [JSONValue] {
        [
            [
                "type": "message_start",
                "message": [
                    "id": .string(id), "type": "message", "role": "assistant", "model": .string(model), "content": [],
                    "stop_reason": nil, "stop_sequence": nil, "usage": usage(outputTokens: 1),
                ],
            ],
            ["type": "content_block_start", "index": 0, "content_block": ["type": "text", "text": ""]],
            ["type": "ping"],
        ]
    }

    func delta(_ text: String) -> JSONValue {
        ["type": "content_block_delta", "index": 0, "delta": ["type": "text_delta", "text": .string(text)]]
    }

    /// `content_block_stop`, `message_delta` (stop reason, output tokens), `message_stop`.
    func closing(outputTokens: Int) -> [JSONValue] {
        var stop: [String: JSONValue] = ["type": "message_stop"]
        if invocationMetrics {
            stop["amazon-bedrock-invocationMetrics"] = [
                "inputTokenCount": .int(generation.inputTokens - cache.read - cache.written), "outputTokenCount": .int(outputTokens),
                "cacheReadInputTokenCount": .int(cache.read), "cacheWriteInputTokenCount": .int(cache.written),
                "invocationLatency": .int(Int(seconds * 1000)), "firstByteLatency": .int(Int(seconds * 1000) / 10),
            ]
        }
        return [
            ["type": "content_block_stop", "index": 0],
            [
                "type": "message_delta", "delta": ["stop_reason": .string(stopReason), "stop_sequence": nil],
                "usage": ["output_tokens": .int(outputTokens)],
            ],
            .object(stop),
        ]
    }

    /// One SSE event: `event: <type>` and `data: <json>`.
    static func sse(_ event: JSONValue) -> [UInt8] {
        Array("event: \(event["type"]?.stringValue ?? "message")\ndata: ".utf8) + event.encoded + Array("\n\n".utf8)
    }

    /// The stream as Mantle sends it (SSE); a mid-stream error is an `error` event.
    func sseFraming(error: AnthropicErrorBody) -> HeldGeneration.Framing {
        let wire = self
        return HeldGeneration.Framing(
            contentType: "text/event-stream",
            opening: opening.map(Self.sse),
            delta: { Self.sse(wire.delta($0)) },
            closing: { wire.closing(outputTokens: $0).map(Self.sse) },
            error: Self.sse(error.json)
        )
    }

    /// The stream as bedrock-runtime sends it (event-stream `chunk` frames); a mid-stream error is
    /// an exception message.
    func eventStreamFraming(error: BedrockErrorBody) -> HeldGeneration.Framing {
        let wire = self
        return HeldGeneration.Framing(
            contentType: "application/vnd.amazon.eventstream",
            opening: opening.map(EventStreamFrame.chunk),
            delta: { EventStreamFrame.chunk(wire.delta($0)) },
            closing: { wire.closing(outputTokens: $0).map(EventStreamFrame.chunk) },
            error: EventStreamFrame.exception(error.streamExceptionType, message: error.message)
        )
    }
}

/// What Messages and InvokeModel share: the checks (as messages; each route puts them in its
/// envelope), the input count, the generation.
enum MessagesValidation {
    /// A request that passed: its output budget and input tokens.
    struct Plan {
        let maxTokens: Int
        let inputTokens: Int
    }

    /// Why a request is refused, in the words both routes use.
    struct Refusal: Error {
        let message: String
        /// The input does not fit the model's window.
        var forLength = false
    }

    static func plan(_ body: MessagesRequest, model: SimulatedModel, limits: ContextLimits) -> Result<Plan, Refusal> {
        func refuse(_ message: String, forLength: Bool = false) -> Result<Plan, Refusal> {
            .failure(Refusal(message: message, forLength: forLength))
        }
        guard let maxTokens = body.maxTokens else { return refuse("max_tokens: Field required") }
        if maxTokens < 1 { return refuse("max_tokens: Input should be greater than or equal to 1") }
        if maxTokens > limits.maxOutputTokens {
            return refuse(
                "max_tokens: \(maxTokens) > \(limits.maxOutputTokens), which is the maximum allowed number of output tokens for \(model.id)"
            )
        }
        guard let messages = body.messages else { return refuse("messages: Field required") }
        if messages.isEmpty { return refuse("messages: at least one message is required") }
        if messages.first?.role != .user { return refuse("messages: first message must use the \"user\" role") }
        let inputTokens = AnswerWriter.inputTokens(instructions: body.system?.text, document: body.document, messageCount: messages.count)
        if let problem = ContextWindowCheck.anthropicProblem(inputTokens: inputTokens, maxTokens: maxTokens, limits: limits) {
            return refuse(problem, forLength: true)
        }
        return .success(Plan(maxTokens: maxTokens, inputTokens: inputTokens))
    }

    static func generate(_ body: MessagesRequest, model: SimulatedModel, plan: Plan) -> Generation {
        AnswerWriter.generate(
            instructions: body.system?.text, document: body.document, model: model, effort: nil, budget: plan.maxTokens,
            inputTokens: plan.inputTokens)
    }
}
