/// A Swift value that can be sent to PostgreSQL as a bound parameter (or a COPY field).
///
/// Values travel in PostgreSQL's text format: ``postgresText()`` is what `psql` would show for the
/// value, and `nil` is SQL NULL. ``postgresType`` declares the parameter's type so that, for
/// instance, `\(count) + 1` is `bigint` arithmetic rather than a guess.
public protocol PostgresEncodable: Sendable {
    /// The type the parameter is declared as; ``PostgresDataType/unknown`` lets the server infer it.
    static var postgresType: PostgresDataType { get }
    /// The value in PostgreSQL's text format, or `nil` for NULL; throws when the value cannot be
    /// represented (a JSON encoding failure, for example).
    func postgresText() throws -> String?
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    /// The wrapped type's declared type, so a NULL is still typed.
    public static var postgresType: PostgresDataType { Wrapped.postgresType }
    /// NULL for `nil`, otherwise the wrapped value's text.
    public func postgresText() throws -> String? { try self?.postgresText() }
}
