extension String: PostgresEncodable, PostgresDecodable {
    /// Unknown, so the server reads it as whatever the context needs: text, varchar, an enum.
    public static var postgresType: PostgresDataType { .unknown }
    /// The string itself.
    public func postgresText() throws -> String? { self }
    /// Any column's text form.
    public init(postgresText text: Substring, type: PostgresDataType) throws { self = String(text) }
}

extension Substring: PostgresEncodable, PostgresDecodable {
    /// Unknown, like `String`.
    public static var postgresType: PostgresDataType { .unknown }
    /// The text itself.
    public func postgresText() throws -> String? { String(self) }
    /// Any column's text form.
    public init(postgresText text: Substring, type: PostgresDataType) throws { self = text }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    /// `boolean`.
    public static var postgresType: PostgresDataType { .bool }
    /// `t` or `f`.
    public func postgresText() throws -> String? { self ? "t" : "f" }
    /// `t` or `f`, as the server writes booleans.
    public init(postgresText text: Substring, type: PostgresDataType) throws {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw PostgresDecodingFailure("not a boolean (expected t or f)")
        }
    }
}

extension Double: PostgresEncodable, PostgresDecodable {
    /// `double precision`.
    public static var postgresType: PostgresDataType { .float8 }
    /// The shortest text that reads back as the same value; `NaN` and `±Infinity` spelled as
    /// PostgreSQL spells them.
    public func postgresText() throws -> String? {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return String(self)
    }
    /// Any float or numeric column's text.
    public init(postgresText text: Substring, type: PostgresDataType) throws {
        guard let value = Double(text) else { throw PostgresDecodingFailure("not a number") }
        self = value
    }
}

extension Float: PostgresEncodable, PostgresDecodable {
    /// `real`.
    public static var postgresType: PostgresDataType { .float4 }
    /// As for `Double`.
    public func postgresText() throws -> String? {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return String(self)
    }
    /// Any float or numeric column's text.
    public init(postgresText text: Substring, type: PostgresDataType) throws {
        guard let value = Float(text) else { throw PostgresDecodingFailure("not a number") }
        self = value
    }
}
