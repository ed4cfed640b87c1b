/// One value of a result row: its text form (or NULL), the column's name and type.
public struct PostgresCell: Sendable {
    /// The value in PostgreSQL's text format; `nil` for NULL.
    public let text: Substring?
    /// The column's name as the server reported it.
    public let columnName: String
    /// The column's type OID.
    public let dataType: PostgresDataType

    /// True when the value is SQL NULL.
    public var isNull: Bool { text == nil }

    /// Decodes the value; see ``PostgresRow/decode(_:as:)``.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T {
        try T.decode(self)
    }
}
