/// A Swift type that can be read from a result column.
///
/// Conformers implement ``init(postgresText:type:)`` for non-NULL values; ``decode(_:)`` handles
/// NULL, which only `Optional` accepts: decoding NULL as a non-optional type throws an error that
/// names the column.
public protocol PostgresDecodable {
    /// Decodes a non-NULL value from its text form; throws ``PostgresDecodingFailure`` when the
    /// text is not a valid value of this type.
    init(postgresText text: Substring, type: PostgresDataType) throws

    /// Decodes a cell, NULL included. The default throws for NULL.
    static func decode(_ cell: PostgresCell) throws -> Self
}

/// Why a value could not be decoded; ``PostgresCell`` turns it into a ``PostgresError`` that names
/// the column.
public struct PostgresDecodingFailure: Error, Sendable {
    /// What was wrong, without the value itself (it may be private data).
    public var reason: String

    /// Describes what was wrong.
    public init(_ reason: String) { self.reason = reason }
}

extension PostgresDecodable {
    /// Decodes a non-NULL cell; NULL throws an error naming the column.
    public static func decode(_ cell: PostgresCell) throws -> Self {
        guard let text = cell.text else {
            throw PostgresError(
                kind: .decoding,
                message: "column \"\(cell.columnName)\" is NULL but was decoded as non-optional \(Self.self); decode it as \(Self.self)?"
            )
        }
        do {
            return try Self(postgresText: text, type: cell.dataType)
        } catch let failure as PostgresDecodingFailure {
            throw PostgresError(
                kind: .decoding,
                message: "column \"\(cell.columnName)\" (type OID \(cell.dataType)) cannot be decoded as \(Self.self): \(failure.reason)"
            )
        }
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    /// Decodes the wrapped type.
    public init(postgresText text: Substring, type: PostgresDataType) throws {
        self = try Wrapped(postgresText: text, type: type)
    }

    /// `nil` for NULL, otherwise the wrapped type's decoding.
    public static func decode(_ cell: PostgresCell) throws -> Self {
        cell.isNull ? nil : try Wrapped.decode(cell)
    }
}
