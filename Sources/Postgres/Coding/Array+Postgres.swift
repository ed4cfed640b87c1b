/// A type that can be an element of a one-dimensional PostgreSQL array (`text[]`, `bigint[]`).
public protocol PostgresArrayElement: PostgresEncodable, PostgresDecodable {
    /// The array type whose elements are this type, e.g. `text[]` for `String`.
    static var postgresArrayType: PostgresDataType { get }
    /// The text form of an array of this element; the default is an array literal.
    static func postgresArrayText(_ elements: [Self]) throws -> String?
    /// Parses the text form of an array of this element; the default reads an array literal.
    static func decodePostgresArray(_ text: Substring) throws -> [Self]
}

extension PostgresArrayElement {
    /// An array literal with every element quoted, `{"a","b \"c\"",NULL}`.
    public static func postgresArrayText(_ elements: [Self]) throws -> String? {
        try PostgresArrayLiteral.format(elements.map { try $0.postgresText() })
    }

    /// Parses a one-dimensional array literal, quotes, escapes and NULLs included; a NULL element
    /// needs an optional element type.
    public static func decodePostgresArray(_ text: Substring) throws -> [Self] {
        try PostgresArrayLiteral.parse(text).enumerated().map { position, element in
            try Self.decode(
                PostgresCell(text: element, columnName: "array element \(position + 1)", dataType: .unknown)
            )
        }
    }
}

extension UInt8: PostgresArrayElement {
    /// `smallint`, for a lone byte; arrays of bytes are `bytea`.
    public static var postgresType: PostgresDataType { .int2 }
    /// `bytea`: `[UInt8]` is binary data, not an array of numbers.
    public static var postgresArrayType: PostgresDataType { .bytea }
    /// The decimal digits.
    public func postgresText() throws -> String? { String(self) }
    /// Decimal digits from 0 to 255.
    public init(postgresText text: Substring, type: PostgresDataType) throws {
        guard let value = UInt8(text, radix: 10) else { throw PostgresDecodingFailure("not a number from 0 to 255") }
        self = value
    }
    /// Hex `bytea`, `\x0a1b…`.
    public static func postgresArrayText(_ elements: [UInt8]) throws -> String? { PostgresBytea.format(elements) }
    /// Hex or escape-format `bytea`.
    public static func decodePostgresArray(_ text: Substring) throws -> [UInt8] { try PostgresBytea.parse(text) }
}

extension String: PostgresArrayElement {
    /// `text[]`.
    public static var postgresArrayType: PostgresDataType { .textArray }
}

extension Int64: PostgresArrayElement {
    /// `bigint[]`.
    public static var postgresArrayType: PostgresDataType { .int8Array }
}

extension Int: PostgresArrayElement {
    /// `bigint[]`.
    public static var postgresArrayType: PostgresDataType { .int8Array }
}

extension Int32: PostgresArrayElement {
    /// `integer[]`.
    public static var postgresArrayType: PostgresDataType { PostgresDataType(oid: 1007) }
}

extension Bool: PostgresArrayElement {
    /// `boolean[]`.
    public static var postgresArrayType: PostgresDataType { PostgresDataType(oid: 1000) }
}

extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    /// The wrapped element's array type; `nil` elements are NULL.
    public static var postgresArrayType: PostgresDataType { Wrapped.postgresArrayType }
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    /// The element's array type.
    public static var postgresType: PostgresDataType { Element.postgresArrayType }
    /// The element type's array text: an array literal, or hex for `[UInt8]`.
    public func postgresText() throws -> String? { try Element.postgresArrayText(self) }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    /// Parses the element type's array text.
    public init(postgresText text: Substring, type: PostgresDataType) throws {
        self = try Element.decodePostgresArray(text)
    }
}
