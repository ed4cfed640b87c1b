import JSONWriting

/// The Response object and its parts written by hand (``JSONBytesWritable``), member for member
/// as their `encode(to:)`.
extension ResponseObject: JSONBytesWritable {
    func write(to json: inout JSONBytes) {
        json.object { json in
            json.member("id", id)
            json.member("object", "response")
            json.member("created_at", createdAt)
            json.member("status", status.rawValue)
            json.member("background", echo.background)
            json.objectMember("billing") { $0.member("payer", "developer") }
            json.member("completed_at", completedAt)
            json.member("error", error)
            if let incompleteReason {
                json.objectMember("incomplete_details") { $0.member("reason", incompleteReason) }
            } else {
                json.nullMember("incomplete_details")
            }
            json.member("instructions", echo.instructions)
            json.member("max_output_tokens", echo.maxOutputTokens)
            json.nullMember("max_tool_calls")
            json.member("model", echo.model)
            json.member("output", output)
            json.member("parallel_tool_calls", echo.parallelToolCalls)
            json.member("previous_response_id", echo.previousResponseID)
            json.member("reasoning", echo.reasoning)
            json.member("service_tier", echo.serviceTier)
            json.member("store", echo.store)
            json.member("temperature", echo.temperature)
            json.member("text", echo.text)
            json.member("tool_choice", echo.toolChoice)
            json.member("tools", echo.tools)
            json.member("top_p", echo.topP)
            json.member("truncation", echo.truncation)
            json.member("usage", usage)
            json.member("user", echo.user)
            json.objectMember("metadata") { json in
                for (key, value) in echo.metadata { json.member(escapedKey: key, value) }
            }
        }
    }
}

extension ResponseError: JSONBytesWritable {
    func write(to json: inout JSONBytes) {
        json.object { json in
            json.member("code", code)
            json.member("message", message)
        }
    }
}

extension OutputItem: JSONBytesWritable {
    func write(to json: inout JSONBytes) {
        json.object { json in
            switch self {
            case .reasoning(let id, let text):
                json.member("type", "reasoning")
                json.member("id", id)
                json.emptyArrayMember("summary")
                json.arrayMember("content") { json in
                    json.object { json in
                        json.member("type", "reasoning_text")
                        json.member("text", text)
                    }
                }
            case .message(let id, let status, let text):
                json.member("type", "message")
                json.member("id", id)
                json.member("status", status.rawValue)
                json.member("role", "assistant")
                json.arrayMember("content") { json in
                    json.object { json in
                        json.member("type", "output_text")
                        json.member("text", text)
                        json.emptyArrayMember("annotations")
                        json.emptyArrayMember("logprobs")
                    }
                }
            }
        }
    }
}

extension ResponseUsage: JSONBytesWritable {
    func write(to json: inout JSONBytes) {
        json.object { json in
            json.member("input_tokens", inputTokens)
            json.objectMember("input_tokens_details") { json in
                json.member("cached_tokens", inputTokensDetails.cachedTokens)
                json.member("cache_write_tokens", inputTokensDetails.cacheWriteTokens)
            }
            json.member("output_tokens", outputTokens)
            json.objectMember("output_tokens_details") { $0.member("reasoning_tokens", outputTokensDetails.reasoningTokens) }
            json.member("total_tokens", totalTokens)
        }
    }
}

extension JSONValue: JSONBytesWritable {
    func write(to json: inout JSONBytes) {
        switch self {
        case .null: json.null()
        case .bool(let b): json.bool(b)
        case .number(let n):
            // Integers stay integers on the wire, as in `encode(to:)`.
            if n.rounded() == n, abs(n) < 1e15 { json.int(Int(n)) } else { json.double(n) }
        case .string(let s): json.string(s)
        case .array(let a): a.write(to: &json)
        case .object(let o):
            json.object { json in
                for (key, value) in o { json.member(escapedKey: key, value) }
            }
        }
    }
}
