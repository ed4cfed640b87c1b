/// The integer types share one text form; each declares its own PostgreSQL type.
protocol PostgresInteger: FixedWidthInteger, PostgresEncodable, PostgresDecodable {}

extension PostgresInteger {
    /// The decimal digits.
    public func postgresText() throws -> String? { String(self) }

    /// Parses decimal digits, rejecting values that do not fit.
    public init(postgresText text: Substring, type: PostgresDataType) throws {
        guard let value = Self(text, radix: 10) else {
            throw PostgresDecodingFailure("not an integer that fits in \(Self.self)")
        }
        self = value
    }
}

extension Int: PostgresInteger {
    /// `bigint`.
    public static var postgresType: PostgresDataType { .int8 }
}

extension Int64: PostgresInteger {
    /// `bigint`.
    public static var postgresType: PostgresDataType { .int8 }
}

extension Int32: PostgresInteger {
    /// `integer`.
    public static var postgresType: PostgresDataType { .int4 }
}

extension Int16: PostgresInteger {
    /// `smallint`.
    public static var postgresType: PostgresDataType { .int2 }
}
