import Foundation
import JSONReading

/// A Response read from a strict parse (`StrictJSON`) instead of `JSONDecoder`.
///
/// Every poll and create answer is a Response; `JSONDecoder`'s Codable machinery took 17 % of
/// the worker's CPU in `bench/pipeline.sh` for a ~2 KB body. This reader gives the same value
/// field for field, or nil, and then `init(json:)` asks `JSONDecoder`: anything it is not sure
/// of — a number where it reads an integer with a fraction, metadata that is not all strings,
/// a key with an escape — it leaves to `JSONDecoder` rather than guess. `StrictJSONTests`
/// compares the two on every Response the tests know and on thousands of mutations of them.
extension MantleResponse {
    init?(strictJSON json: Data) {
        guard let document = StrictJSON(json), let response = try? Self(document, rawJSON: json) else { return nil }
        self = response
    }

    private init(_ document: StrictJSON, rawJSON: Data) throws(StrictJSON.Unexpected) {
        let root = document.root
        func member(_ key: String) throws(StrictJSON.Unexpected) -> StrictJSON.Value? { try document.member(key, of: root) }
        guard let id = try member("id"), let status = try member("status") else { throw StrictJSON.Unexpected() }
        self.id = try document.string(id)
        self.status = ResponseStatus(rawValue: try document.string(status))
        output = try (document.optionalArray(member("output")) ?? []).map { (item) throws(StrictJSON.Unexpected) in
            try Self.outputItem(item, in: document)
        }
        usage = try Self.usage(member("usage"), in: document)
        error = try Self.object(member("error")).map { (error) throws(StrictJSON.Unexpected) in
            ResponseError(
                code: try document.optionalString(document.member("code", of: error)) ?? "",
                message: try document.optionalString(document.member("message", of: error)) ?? "")
        }
        incompleteReason = try Self.object(member("incomplete_details")).flatMap { (details) throws(StrictJSON.Unexpected) in
            try document.optionalString(document.member("reason", of: details)).map(IncompleteReason.init(rawValue:))
        }
        // Echoed request fields are read leniently, as `init(json:)` reads them: a value of
        // another type is nil, not a failure.
        model = try Self.lenientString(member("model"), in: document)
        createdAt = try Self.lenientSeconds(member("created_at"), in: document).map(Date.init(timeIntervalSince1970:))
        completedAt = try Self.lenientSeconds(member("completed_at"), in: document).map(Date.init(timeIntervalSince1970:))
        if case .bool(let flag)? = try member("background") { background = flag } else { background = nil }
        metadata = try Self.metadata(member("metadata"), in: document)
        instructions = try Self.lenientString(member("instructions"), in: document)
        maxOutputTokens = try Self.lenientInteger(member("max_output_tokens"), in: document)
        previousResponseID = try Self.lenientString(member("previous_response_id"), in: document)
        self.rawJSON = rawJSON
    }

    /// An object, or nil for a missing member or null.
    private static func object(_ value: StrictJSON.Value?) throws(StrictJSON.Unexpected) -> StrictJSON.Value? {
        guard let value, !value.isNull else { return nil }
        guard case .object = value else { throw StrictJSON.Unexpected() }
        return value
    }

    private static func outputItem(_ item: StrictJSON.Value, in document: StrictJSON) throws(StrictJSON.Unexpected) -> OutputItem {
        func member(_ key: String) throws(StrictJSON.Unexpected) -> StrictJSON.Value? { try document.member(key, of: item) }
        switch try document.optionalString(member("type")) ?? "" {
        case "message":
            let parts = try (document.optionalArray(member("content")) ?? []).map { (part) throws(StrictJSON.Unexpected) in
                let type = try document.optionalString(document.member("type", of: part)) ?? ""
                switch type {
                case "output_text": return OutputMessage.Part.outputText(try document.optionalString(document.member("text", of: part)) ?? "")
                case "refusal": return .refusal(try document.optionalString(document.member("refusal", of: part)) ?? "")
                default: return .other(type: type)
                }
            }
            return .message(
                OutputMessage(
                    id: try document.optionalString(member("id")), role: try document.optionalString(member("role")),
                    status: try document.optionalString(member("status")), content: parts))
        case "reasoning":
            func texts(_ key: String) throws(StrictJSON.Unexpected) -> [String] {
                var texts: [String] = []
                for part in try document.optionalArray(member(key)) ?? [] {
                    _ = try document.optionalString(document.member("type", of: part))
                    if let text = try document.optionalString(document.member("text", of: part)) { texts.append(text) }
                }
                return texts
            }
            return .reasoning(ReasoningItem(id: try document.optionalString(member("id")), summary: try texts("summary"), content: try texts("content")))
        case let type:
            return .other(type: type)
        }
    }

    private static func usage(_ value: StrictJSON.Value?, in document: StrictJSON) throws(StrictJSON.Unexpected) -> ResponseUsage? {
        guard let usage = try object(value) else { return nil }
        func integer(_ key: String, of object: StrictJSON.Value?) throws(StrictJSON.Unexpected) -> Int? {
            guard let object = try Self.object(object) else { return nil }
            return try document.optionalInteger(document.member(key, of: object))
        }
        let inputDetails = try document.member("input_tokens_details", of: usage)
        let outputDetails = try document.member("output_tokens_details", of: usage)
        return ResponseUsage(
            inputTokens: try integer("input_tokens", of: usage) ?? 0,
            cachedInputTokens: try integer("cached_tokens", of: inputDetails) ?? 0,
            cacheWriteInputTokens: try integer("cache_write_tokens", of: inputDetails) ?? 0,
            outputTokens: try integer("output_tokens", of: usage) ?? 0,
            reasoningTokens: try integer("reasoning_tokens", of: outputDetails) ?? 0,
            totalTokens: try integer("total_tokens", of: usage))
    }

    private static func lenientString(_ value: StrictJSON.Value?, in document: StrictJSON) throws(StrictJSON.Unexpected) -> String? {
        guard let value, case .string = value else { return nil }
        return try document.string(value)
    }

    /// Seconds since 1970 as a number; a number too large for a `Double` is left to `JSONDecoder`.
    private static func lenientSeconds(_ value: StrictJSON.Value?, in document: StrictJSON) throws(StrictJSON.Unexpected) -> Double? {
        guard case .number(let range, _)? = value else { return nil }
        guard let seconds = Double(String(decoding: document.bytes[range], as: UTF8.self)), seconds.isFinite else {
            throw StrictJSON.Unexpected()
        }
        return seconds
    }

    private static func lenientInteger(_ value: StrictJSON.Value?, in document: StrictJSON) throws(StrictJSON.Unexpected) -> Int? {
        guard case .number(let range, let integer)? = value else { return nil }
        guard integer else { throw StrictJSON.Unexpected() }
        return Int(String(decoding: document.bytes[range], as: UTF8.self))
    }

    /// Metadata of strings, as sent; any other value is left to `JSONDecoder`'s lenient reading.
    private static func metadata(_ value: StrictJSON.Value?, in document: StrictJSON) throws(StrictJSON.Unexpected) -> [String: String] {
        guard let value, !value.isNull else { return [:] }
        return try document.stringObject(value)
    }
}
