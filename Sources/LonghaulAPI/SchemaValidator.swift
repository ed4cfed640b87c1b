import Foundation
import Mantle

/// Checks a value against a schema of the OpenAPI document — the keywords the document uses:
/// `type`, `enum`, `required`, `additionalProperties: false`, string lengths, `pattern`,
/// `format: date-time`, number ranges, item and property counts, `$ref`. The generated code
/// checks types only; this makes every rule the document states hold, refused by field and rule.
struct SchemaValidator: Sendable {
    let components: [String: JSONValue]

    init(document: JSONValue) {
        components = document["components"]?["schemas"]?.object ?? [:]
    }

    /// The first violation of `schema` by `value` at `path`, or nil.
    func violation(of schema: JSONValue, by value: JSONValue, at path: String) -> APIError? {
        let schema = resolved(schema)
        let field = path.isEmpty ? "the body" : path
        let param = path.isEmpty ? nil : path
        if case .null = value {
            return APIError.invalid(param, code: "null", "'\(field)' is null; leave a field out instead of sending null")
        }
        if let type = schema["type"]?.string, !Self.value(value, hasType: type) {
            return APIError.invalid(param, code: "wrong_type", "'\(field)' must be \(Self.article(type)), not \(value.typeName)")
        }
        if let allowed = schema["enum"]?.array, !allowed.contains(value) {
            let names = allowed.compactMap(\.string).joined(separator: ", ")
            return APIError.invalid(param, code: "invalid_value", "'\(field)' must be one of: \(names)")
        }
        switch value {
        case .string(let text): return violation(of: schema, byString: text, param: param, field: field)
        case .number(let number): return violation(of: schema, byNumber: number, param: param, field: field)
        case .array(let items): return violation(of: schema, byArray: items, path: path, param: param, field: field)
        case .object(let object): return violation(of: schema, byObject: object, path: path)
        case .bool, .null: return nil
        }
    }

    private func violation(of schema: JSONValue, byString text: String, param: String?, field: String) -> APIError? {
        let minimum = schema["minLength"]?.number, maximum = schema["maxLength"]?.number
        let length = Self.characterCount(text, within: minimum, maximum)
        if let minimum, Double(length) < minimum {
            return APIError.invalid(param, code: "too_short", "'\(field)' must be at least \(Int(minimum)) characters")
        }
        if let maximum, Double(length) > maximum {
            return APIError.invalid(param, code: "too_long", "'\(field)' is \(length) characters; the most is \(Int(maximum))")
        }
        if let pattern = schema["pattern"]?.string, text.range(of: pattern, options: .regularExpression) == nil {
            return APIError.invalid(param, code: "invalid_format", "'\(field)' must match \(pattern)")
        }
        if schema["format"]?.string == "date-time", RFC3339.date(from: text) == nil {
            return APIError.invalid(param, code: "invalid_date", "'\(field)' must be an RFC 3339 date-time such as 2026-11-23T09:30:00Z")
        }
        return nil
    }

    private func violation(of schema: JSONValue, byNumber number: Double, param: String?, field: String) -> APIError? {
        let minimum = schema["minimum"]?.number
        let maximum = schema["maximum"]?.number
        if (minimum.map { number < $0 } ?? false) || (maximum.map { number > $0 } ?? false) {
            let range = [minimum.map { "at least \(Self.format($0))" }, maximum.map { "at most \(Self.format($0))" }].compactMap { $0 }
            return APIError.invalid(param, code: "out_of_range", "'\(field)' is \(Self.format(number)); it must be \(range.joined(separator: " and "))")
        }
        return nil
    }

    private func violation(of schema: JSONValue, byArray items: [JSONValue], path: String, param: String?, field: String) -> APIError? {
        if let minimum = schema["minItems"]?.number, Double(items.count) < minimum {
            return APIError.invalid(param, code: "too_few", "'\(field)' needs at least \(Int(minimum)) items")
        }
        if let maximum = schema["maxItems"]?.number, Double(items.count) > maximum {
            return APIError.invalid(param, code: "too_many", "'\(field)' has \(items.count) items; the most is \(Int(maximum))")
        }
        guard let itemSchema = schema["items"] else { return nil }
        for (index, item) in items.enumerated() {
            if let found = violation(of: itemSchema, by: item, at: "\(path)[\(index)]") { return found }
        }
        return nil
    }

    private func violation(of schema: JSONValue, byObject object: [String: JSONValue], path: String) -> APIError? {
        let field = path.isEmpty ? "the body" : path
        let prefix = path.isEmpty ? "" : "\(path)."
        for name in schema["required"]?.array?.compactMap(\.string) ?? [] where object[name] == nil {
            return APIError.invalid(prefix + name, code: "missing", "'\(prefix + name)' is required")
        }
        if let maximum = schema["maxProperties"]?.number, Double(object.count) > maximum {
            return APIError.invalid(path.isEmpty ? nil : path, code: "too_many_keys", "'\(field)' has \(object.count) keys; the most is \(Int(maximum))")
        }
        let properties = schema["properties"]?.object ?? [:]
        let additional = schema["additionalProperties"]
        for key in object.keys.sorted() {
            guard let value = object[key] else { continue }
            if let keySchema = schema["propertyNames"],
               let found = violation(of: keySchema, by: .string(key), at: "\(prefix)\(key) (the key)") {
                return found
            }
            if let propertySchema = properties[key] {
                if let found = violation(of: propertySchema, by: value, at: prefix + key) { return found }
            } else if additional == .bool(false) {
                return APIError.invalid(
                    prefix + key, code: "unknown_field",
                    "'\(prefix + key)' is not a field here; the fields are \(properties.keys.sorted().joined(separator: ", "))")
            } else if let additional, additional.object != nil {
                if let found = violation(of: additional, by: value, at: prefix + key) { return found }
            }
        }
        return nil
    }

    private func resolved(_ schema: JSONValue) -> JSONValue {
        guard let reference = schema["$ref"]?.string, reference.hasPrefix("#/components/schemas/") else { return schema }
        return components[String(reference.dropFirst("#/components/schemas/".count))].map(resolved) ?? schema
    }

    private static func value(_ value: JSONValue, hasType type: String) -> Bool {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("object", .object), ("array", .array), ("number", .number): true
        case ("integer", .number(let number)): number.rounded() == number && abs(number) < 9.0e15
        default: false
        }
    }

    private static func article(_ type: String) -> String {
        ["integer": "an integer", "object": "an object", "array": "an array"][type] ?? "a \(type)"
    }

    /// The string's length in characters where a bound needs it, else a length that passes the
    /// same checks. Counting characters walks every grapheme, and a job's 2 KB document is
    /// checked against `minLength` 1 and `maxLength` 32 MiB on every enqueue (1.2 % of the
    /// server's CPU in `bench/api.sh`); a string has at least one character when it is not empty
    /// and at most one per UTF-8 byte, which settles both bounds without counting.
    static func characterCount(_ text: String, within minimum: Double?, _ maximum: Double?) -> Int {
        let bytes = text.utf8.count
        let surelyLongEnough = minimum.map { $0 <= 0 || ($0 <= 1 && bytes > 0) } ?? true
        let surelyShortEnough = maximum.map { Double(bytes) <= $0 } ?? true
        return surelyLongEnough && surelyShortEnough ? bytes : text.count
    }

    private static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }
}

/// Strict RFC 3339 date-times: every field in range (no minute 99), with `Z` or an offset.
enum RFC3339 {
    static func date(from text: String) -> Date? {
        guard let match = text.wholeMatch(of: /(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})/) else {
            return nil
        }
        guard let year = Int(match.1), let month = Int(match.2), let day = Int(match.3),
              let hour = Int(match.4), let minute = Int(match.5), let second = Int(match.6),
              (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        var offset = 0
        let zone = String(match.8)
        if zone.count == 6, let hours = Int(zone.dropFirst().prefix(2)), let minutes = Int(zone.suffix(2)) {
            guard hours <= 23, minutes <= 59 else { return nil }
            offset = (hours * 3600 + minutes * 60) * (zone.hasPrefix("-") ? -1 : 1)
        }
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(secondsFromGMT: 0) else { return nil }
        calendar.timeZone = utc
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: min(second, 59))
        guard calendar.range(of: .day, in: .month, for: calendar.date(from: DateComponents(year: year, month: month)) ?? Date())?.contains(day) == true,
              let base = calendar.date(from: components)
        else { return nil }
        let fraction = match.7.flatMap { Double("0" + $0) } ?? 0
        return base.addingTimeInterval(fraction - Double(offset))
    }
}
