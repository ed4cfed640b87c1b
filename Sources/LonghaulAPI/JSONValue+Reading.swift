import Foundation
import Mantle

/// Reading the OpenAPI document and request bodies as the validator walks them (the JSON value
/// type is the Mantle wire format's own).
extension JSONValue {
    /// A tree from `JSONSerialization` or Yams (`[String: Any]`, `[Any]`, strings, numbers).
    init(any value: Any) {
        switch value {
        case let object as [String: Any]: self = .object(object.mapValues(JSONValue.init(any:)))
        case let array as [Any]: self = .array(array.map(JSONValue.init(any:)))
        case let string as String: self = .string(string)
        case let bool as Bool: self = .bool(bool)
        case let int as Int: self = .number(Double(int))
        case let double as Double: self = .number(double)
        default: self = .null
        }
    }

    subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var number: Double? { if case .number(let value) = self { value } else { nil } }
    var array: [JSONValue]? { if case .array(let value) = self { value } else { nil } }
    var object: [String: JSONValue]? { if case .object(let value) = self { value } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }

    /// The JSON type name, for messages.
    var typeName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number(let value): value.rounded() == value ? "an integer" : "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}
