public import Foundation

extension Date: PostgresEncodable, PostgresDecodable {
    /// `timestamptz`.
    public static var postgresType: PostgresDataType { .timestamptz }
    /// ISO form in UTC with microseconds, e.g. `2024-05-01 12:00:00.250000+00`.
    public func postgresText() throws -> String? { PostgresTimestamp.format(self) }
    /// `timestamptz`, `timestamp` (read as UTC) or `date` text; `infinity` becomes
    /// `Date.distantFuture`, `-infinity` `Date.distantPast`.
    public init(postgresText text: Substring, type: PostgresDataType) throws {
        self = try PostgresTimestamp.parse(text)
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    /// `uuid`.
    public static var postgresType: PostgresDataType { .uuid }
    /// The canonical hyphenated form.
    public func postgresText() throws -> String? { uuidString.lowercased() }
    /// The hyphenated form the server writes.
    public init(postgresText text: Substring, type: PostgresDataType) throws {
        guard let value = UUID(uuidString: String(text)) else { throw PostgresDecodingFailure("not a UUID") }
        self = value
    }
}

extension Data: PostgresEncodable, PostgresDecodable {
    /// `bytea`.
    public static var postgresType: PostgresDataType { .bytea }
    /// Hex format, `\x0a1b…`.
    public func postgresText() throws -> String? { PostgresBytea.format(self) }
    /// Hex (the server's default output) or the older escape format.
    public init(postgresText text: Substring, type: PostgresDataType) throws {
        self = Data(try PostgresBytea.parse(text))
    }
}

extension Duration: PostgresEncodable {
    /// `interval`.
    public static var postgresType: PostgresDataType { .interval }
    /// Whole microseconds, e.g. `1500000 microseconds` (an interval keeps no finer precision).
    public func postgresText() throws -> String? {
        let (seconds, attoseconds) = components
        return "\(seconds * 1_000_000 + attoseconds / 1_000_000_000_000) microseconds"
    }
}
