public import Foundation

extension JSONValue {
    /// The JSON value of `data`: read by `StrictJSON` where it can, otherwise by `JSONDecoder`,
    /// which then decides (nil when it refuses). Reading a request body for the schema check with
    /// `JSONDecoder` alone was 4.3 % of the API server's CPU (`bench/api.sh`, a 2 KB job).
    public static func decoding(_ data: Data) -> JSONValue? {
        strictly(data) ?? (try? JSONDecoder().decode(JSONValue.self, from: data))
    }

    /// The value by `StrictJSON` alone; nil to leave it to `JSONDecoder`.
    static func strictly(_ data: Data) -> JSONValue? {
        guard let document = StrictJSON(data) else { return nil }
        return JSONValue(document.root, in: document)
    }

    /// The JSON value of `bytes` as ``decoding(_:)`` reads it, with the strict parse it came from:
    /// nil when `JSONDecoder` decided, so a reader of the document knows the value describes it.
    package static func decodingKeepingDocument(_ bytes: [UInt8]) -> (value: JSONValue?, document: StrictJSON?) {
        if let document = StrictJSON(bytes: bytes), let value = JSONValue(document.root, in: document) {
            return (value, document)
        }
        return (try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)), nil)
    }

    /// What `JSONDecoder` makes of the value, or nil where the two could differ: a number past
    /// `Double` (which `JSONDecoder` refuses) or a string whose escapes do not unescape.
    private init?(_ value: StrictJSON.Value, in document: StrictJSON) {
        switch value {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let range, _):
            guard let number = Double(String(decoding: document.bytes[range], as: UTF8.self)), number.isFinite else { return nil }
            self = .number(number)
        case .string:
            guard let text = try? document.string(value) else { return nil }
            self = .string(text)
        case .array(let elements):
            var values: [JSONValue] = []
            values.reserveCapacity(elements.count)
            for element in elements {
                guard let converted = JSONValue(element, in: document) else { return nil }
                values.append(converted)
            }
            self = .array(values)
        case .object(let members):
            var object: [String: JSONValue] = [:]
            object.reserveCapacity(members.count)
            for member in members {
                guard let converted = JSONValue(member.value, in: document) else { return nil }
                object[member.key] = converted
            }
            self = .object(object)
        }
    }
}
