import Foundation
import JSONWriting

/// The create body written by hand (`JSONBytes`), in one pass over the request: `JSONEncoder`
/// was 7.5 % of the worker's CPU in `bench/pipeline.sh 10000 256`, most of it this body.
///
/// The bytes are those `JSONEncoder` writes from `encode(to:)` with `[.sortedKeys,
/// .withoutEscapingSlashes]`, as the client sent it before: keys in the order of their UTF-8
/// bytes at every level (`background`, `input`, `instructions`, `max_output_tokens`, `metadata`,
/// `model`, `reasoning`, `service_tier`, `store`, `stream`, `text`), so a body is the same from
/// run to run. `RequestBodyTests` holds the two to the same bytes.
extension ResponseCreateRequest {
    /// The JSON body of `POST /responses`; refuses a schema holding a NaN or an infinity, as
    /// `JSONEncoder` did.
    func jsonBody(operation: MantleOperation) throws(MantleError) -> Data {
        var json = JSONBytes(capacity: 512 + (instructions?.utf8.count ?? 0) + input.estimatedByteCount)
        write(to: &json)
        guard !json.wroteNonFiniteNumber else {
            throw MantleError(
                kind: .invalidRequest, classification: .permanent,
                message: "cannot encode the request: the text.format schema holds a NaN or an infinite number, which JSON cannot carry; "
                    + "write the bound as a finite number",
                operation: operation)
        }
        return Data(json.bytes)
    }

    /// Writes the body with `background: true` and `store: true`, member for member as `encode(to:)`.
    func write(to json: inout JSONBytes) {
        json.object { json in
            json.member("background", true)
            json.key("input")
            input.write(to: &json)
            json.memberIfPresent("instructions", instructions)
            json.memberIfPresent("max_output_tokens", maxOutputTokens)
            if let metadata {
                json.key("metadata")
                json.object(sortingKeysOf: metadata)
            }
            json.member("model", model)
            if let reasoningEffort {
                json.objectMember("reasoning") { $0.member("effort", reasoningEffort.rawValue) }
            }
            json.memberIfPresent("service_tier", serviceTier?.rawValue)
            json.member("store", true)
            if stream { json.member("stream", true) }
            if let textFormat {
                json.objectMember("text") { json in
                    json.key("format")
                    textFormat.write(to: &json)
                }
            }
        }
    }
}

extension ResponseInput {
    /// About how many bytes the input takes as JSON, to size the body once.
    var estimatedByteCount: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .messages(let messages): messages.reduce(0) { $0 + 64 + $1.content.estimatedByteCount }
        }
    }

    /// Writes a string or an array, as `encode(to:)`.
    func write(to json: inout JSONBytes) {
        switch self {
        case .text(let text): json.string(text)
        case .messages(let messages):
            json.array { json in
                for message in messages { message.write(to: &json) }
            }
        }
    }
}

extension InputMessage {
    /// Writes `{"content":…,"role":…,"type":"message"}`, as `encode(to:)`.
    func write(to json: inout JSONBytes) {
        json.object { json in
            json.key("content")
            content.write(to: &json)
            json.member("role", role.rawValue)
            json.member("type", "message")
        }
    }
}

extension InputMessage.Content {
    /// About how many bytes the content takes as JSON.
    var estimatedByteCount: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .parts(let texts): texts.reduce(0) { $0 + 40 + $1.utf8.count }
        }
    }

    /// Writes a string or `[{"text":…,"type":"input_text"}]`, as `encode(to:)`.
    func write(to json: inout JSONBytes) {
        switch self {
        case .text(let text): json.string(text)
        case .parts(let texts):
            json.array { json in
                for text in texts {
                    json.object { json in
                        json.member("text", text)
                        json.member("type", "input_text")
                    }
                }
            }
        }
    }
}

extension TextFormat {
    /// Writes `{"type":…}` and, for a schema, its fields, as `encode(to:)`.
    func write(to json: inout JSONBytes) {
        json.object { json in
            switch self {
            case .text: json.member("type", "text")
            case .jsonObject: json.member("type", "json_object")
            case .jsonSchema(let name, let schema, let strict, let description):
                json.memberIfPresent("description", description)
                json.member("name", name)
                json.key("schema")
                schema.write(to: &json)
                json.memberIfPresent("strict", strict)
                json.member("type", "json_schema")
            }
        }
    }
}

extension JSONValue {
    /// Writes the value as `encode(to:)`, an object's keys sorted.
    func write(to json: inout JSONBytes) {
        switch self {
        case .null: json.null()
        case .bool(let value): json.bool(value)
        case .number(let value): json.double(value)
        case .string(let value): json.string(value)
        case .array(let values):
            json.array { json in
                for value in values { value.write(to: &json) }
            }
        case .object(let members): json.object(sortingKeysOf: members) { $0.write(to: &$1) }
        }
    }
}
