/// Chat Completions on the wire: the `chat.completion` body and the `chat.completion.chunk` SSE
/// stream (`data: {…}` lines, a final usage chunk when `stream_options.include_usage`, `data: [DONE]`).
///
/// gpt-oss on Mantle puts its reasoning in the non-standard `message.reasoning` (and
/// `delta.reasoning`) and reports no `completion_tokens_details` (`shared/mantle-api.md` §3).
struct ChatCompletionWire: Sendable {
    let id: String
    let created: Int
    let model: String
    let generation: Generation

    var finishReason: String { generation.reachedBudget ? "length" : "stop" }

    func usage(outputTokens: Int) -> JSONValue {
        [
            "prompt_tokens": .int(generation.inputTokens), "completion_tokens": .int(outputTokens),
            "total_tokens": .int(generation.inputTokens + outputTokens),
        ]
    }

    /// The non-streamed body.
    var completion: JSONValue {
        var message: [String: JSONValue] = ["role": "assistant", "content": .string(generation.text ?? ""), "refusal": nil]
        if let reasoning = generation.reasoningText { message["reasoning"] = .string(reasoning) }
        return [
            "id": .string(id), "object": "chat.completion", "created": .int(created), "model": .string(model),
            "choices": [["index": 0, "message": .object(message), "finish_reason": .string(finishReason), "logprobs": nil]],
            "usage": usage(outputTokens: generation.outputTokens),
        ]
    }

    private func chunk(_ delta: JSONValue, finish: String? = nil, includeUsage: Bool) -> [UInt8] {
        var object: [String: JSONValue] = [
            "id": .string(id), "object": "chat.completion.chunk", "created": .int(created), "model": .string(model),
            "choices": [["index": 0, "delta": delta, "finish_reason": .optionalString(finish), "logprobs": nil]],
        ]
        if includeUsage { object["usage"] = .null }
        return Self.event(.object(object))
    }

    static func event(_ value: JSONValue) -> [UInt8] { Array("data: ".utf8) + value.encoded + Array("\n\n".utf8) }

    /// The stream: a role chunk (with the reasoning of a reasoning model), one chunk per delta,
    /// the finish chunk, the usage chunk if asked, `[DONE]`. A mid-stream error is an `{"error":…}` chunk.
    func framing(includeUsage: Bool) -> HeldGeneration.Framing {
        var opening = [chunk(["role": "assistant", "content": ""], includeUsage: includeUsage)]
        if let reasoning = generation.reasoningText { opening.append(chunk(["reasoning": .string(reasoning)], includeUsage: includeUsage)) }
        let wire = self
        let error = MantleErrorBody.internalServerError
        return HeldGeneration.Framing(
            contentType: "text/event-stream",
            opening: opening,
            delta: { text in wire.chunk(["content": .string(text)], includeUsage: includeUsage) },
            closing: { output in
                var tail = [wire.chunk([:], finish: wire.finishReason, includeUsage: includeUsage)]
                if includeUsage {
                    let usage: JSONValue = [
                        "id": .string(wire.id), "object": "chat.completion.chunk", "created": .int(wire.created),
                        "model": .string(wire.model), "choices": [], "usage": wire.usage(outputTokens: output),
                    ]
                    tail.append(Self.event(usage))
                }
                tail.append(Array("data: [DONE]\n\n".utf8))
                return tail
            },
            error: Self.event([
                "error": [
                    "message": .string(error.message), "type": .string(error.type), "param": nil, "code": .optionalString(error.code),
                ]
            ])
        )
    }
}
