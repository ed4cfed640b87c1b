import JSONReading

/// The create body read by `StrictJSON` instead of `JSONDecoder`, which took 14 % of the
/// simulator's CPU under `bench/simulator.sh`'s creates (the worker's 607-byte body).
///
/// It gives `JSONDecoder`'s value or nothing: anything it is not sure of — a member it does not
/// know, a value of another type, an unknown role or effort, a number with a fraction where an
/// integer goes, one past `Double` — it leaves to `JSONDecoder`, which then decides and words the
/// refusal as before. `CreateRequestReadingTests` holds the two to the same value.
extension CreateResponseRequest {
    /// The body read strictly, or nil to leave it to `JSONDecoder`.
    init?(strictJSON bytes: [UInt8]) {
        guard let json = StrictJSON(bytes: bytes), let body = try? Self(json.root, in: json) else { return nil }
        self = body
    }

    private init(_ value: StrictJSON.Value, in json: StrictJSON) throws(StrictJSON.Unexpected) {
        guard case .object(let members) = value else { throw StrictJSON.Unexpected() }
        var model: String?, input: Input?, instructions: String?, background: Bool?, store: Bool?, maxOutputTokens: Int?
        var metadata: [String: String]?, temperature: Double?, topP: Double?, reasoning: Reasoning?, reasoningJSON: JSONValue?
        var previousResponseID: String?, serviceTier: String?, text: JSONValue?, user: String?, toolChoice: JSONValue?
        var tools: JSONValue?, parallelToolCalls: Bool?, truncation: String?, stream: Bool?
        for member in members {
            let value = member.value
            switch member.key {
            case "model": model = try json.optionalString(value)
            case "input": input = try value.isNull ? nil : Input(value, in: json)
            case "instructions": instructions = try json.optionalString(value)
            case "background": background = try json.optionalBool(value)
            case "store": store = try json.optionalBool(value)
            case "max_output_tokens": maxOutputTokens = try json.optionalInteger(value)
            case "metadata": metadata = try value.isNull ? nil : json.stringObject(value)
            case "temperature": temperature = try json.optionalFiniteDouble(value)
            case "top_p": topP = try json.optionalFiniteDouble(value)
            case "reasoning":
                // Read twice, as `init(from:)` does: its effort, and the whole object to echo.
                guard !value.isNull else { continue }
                reasoning = Reasoning(effort: try json.optionalEnum(try json.member("effort", of: value)))
                reasoningJSON = try json.anyValue(value)
            case "previous_response_id": previousResponseID = try json.optionalString(value)
            case "service_tier": serviceTier = try json.optionalString(value)
            case "text": text = try json.optionalAnyValue(value)
            case "user": user = try json.optionalString(value)
            case "tool_choice": toolChoice = try json.optionalAnyValue(value)
            case "tools": tools = try json.optionalAnyValue(value)
            case "parallel_tool_calls": parallelToolCalls = try json.optionalBool(value)
            case "truncation": truncation = try json.optionalString(value)
            case "stream": stream = try json.optionalBool(value)
            default: throw StrictJSON.Unexpected()
            }
        }
        self.init(
            model: model, input: input, instructions: instructions, background: background, store: store,
            maxOutputTokens: maxOutputTokens, metadata: metadata, temperature: temperature, topP: topP, reasoning: reasoning,
            previousResponseID: previousResponseID, serviceTier: serviceTier, reasoningJSON: reasoningJSON, text: text, user: user,
            toolChoice: toolChoice, tools: tools, parallelToolCalls: parallelToolCalls, truncation: truncation, stream: stream)
    }
}

extension CreateResponseRequest.Input {
    fileprivate init(_ value: StrictJSON.Value, in json: StrictJSON) throws(StrictJSON.Unexpected) {
        if case .string = value {
            self = .text(try json.string(value))
            return
        }
        self = .items(
            try json.arrayOfObjects(value) { (members) throws(StrictJSON.Unexpected) in
                var type: String?, role: CreateResponseRequest.Role?, content: CreateResponseRequest.Content?
                for member in members {
                    switch member.key {
                    case "type": type = try json.optionalString(member.value)
                    case "role": role = try json.optionalEnum(member.value)
                    case "content": content = try member.value.isNull ? nil : CreateResponseRequest.Content(member.value, in: json)
                    default: throw StrictJSON.Unexpected()
                    }
                }
                return CreateResponseRequest.InputItem(type: type, role: role, content: content)
            })
    }
}

extension CreateResponseRequest.Content {
    fileprivate init(_ value: StrictJSON.Value, in json: StrictJSON) throws(StrictJSON.Unexpected) {
        if case .string = value {
            self = .text(try json.string(value))
            return
        }
        self = .parts(
            try json.arrayOfObjects(value) { (members) throws(StrictJSON.Unexpected) in
                var type: String?, text: String?
                for member in members {
                    switch member.key {
                    case "type": type = try json.string(member.value)  // required, and not null
                    case "text": text = try json.optionalString(member.value)
                    default: throw StrictJSON.Unexpected()
                    }
                }
                guard let type else { throw StrictJSON.Unexpected() }
                return CreateResponseRequest.ContentPart(type: type, text: text)
            })
    }
}
