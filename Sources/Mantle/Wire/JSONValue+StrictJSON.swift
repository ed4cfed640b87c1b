public import Foundation
package import JSONReading

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
        return try? document.anyValue(document.root)
    }

    /// The JSON value of `bytes` as ``decoding(_:)`` reads it, with the strict parse it came from:
    /// nil when `JSONDecoder` decided, so a reader of the document knows the value describes it.
    package static func decodingKeepingDocument(_ bytes: [UInt8]) -> (value: JSONValue?, document: StrictJSON?) {
        if let document = StrictJSON(bytes: bytes), let value: JSONValue = try? document.anyValue(document.root) {
            return (value, document)
        }
        return (try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)), nil)
    }
}

/// Built by `StrictJSON.anyValue`, which reads a value as `init(from:)` does.
extension JSONValue: JSONValueCases {}
