import Foundation

/// A `Codable` value stored in a `jsonb` column: `\(PostgresJSON(parameters))` binds it,
/// `row.decode("parameters", as: PostgresJSON<Parameters>.self).value` reads it back.
///
/// Dates inside are ISO 8601 strings, which is what `jsonb` queries can compare.
public struct PostgresJSON<Value: Sendable>: Sendable {
    /// The wrapped value.
    public var value: Value

    /// Wraps a value for a `jsonb` column.
    public init(_ value: Value) { self.value = value }
}

extension PostgresJSON: PostgresEncodable where Value: Encodable {
    /// `jsonb`.
    public static var postgresType: PostgresDataType { .jsonb }
    /// The JSON text; throws when `JSONEncoder` does.
    public func postgresText() throws -> String? {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

extension PostgresJSON: PostgresDecodable where Value: Decodable {
    /// Decodes `json` or `jsonb` text with `JSONDecoder`.
    public init(postgresText text: Substring, type: PostgresDataType) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            value = try decoder.decode(Value.self, from: Data(text.utf8))
        } catch {
            throw PostgresDecodingFailure("JSON does not decode as \(Value.self): \(error)")
        }
    }
}
