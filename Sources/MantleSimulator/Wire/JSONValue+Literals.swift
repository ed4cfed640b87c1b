import Foundation

/// Literals, so wire events are written as they look (`["type": "ping"]`).
extension JSONValue: ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .number(Double(value)) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(nilLiteral: ()) { self = .null }

    /// An integer.
    static func int(_ value: Int) -> JSONValue { .number(Double(value)) }

    /// A string, or null.
    static func optionalString(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    /// The value as compact JSON bytes (slashes unescaped, as the services write them).
    var encoded: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        // JSONValue holds only strings, finite numbers, booleans, arrays and objects: always encodable.
        return (try? [UInt8](encoder.encode(self))) ?? Array("null".utf8)
    }
}
