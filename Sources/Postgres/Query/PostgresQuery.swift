/// A SQL statement with bound parameters, written by string interpolation.
///
/// ```swift
/// let query: PostgresQuery = "SELECT * FROM jobs WHERE id = \(id) AND state = \(state)"
/// // sql: "SELECT * FROM jobs WHERE id = $1 AND state = $2", two bindings
/// ```
/// Interpolated values always become parameters, never SQL text. Identifiers go through
/// `\(identifier: name)`, which quotes them; raw SQL only through the explicitly named
/// `\(unescaped: text)` or ``init(unsafeSQL:bindings:)``.
public struct PostgresQuery: ExpressibleByStringInterpolation, Sendable, CustomStringConvertible {
    /// The SQL text with `$1`, `$2`, … placeholders.
    public var sql: String
    /// The parameter values for the placeholders.
    public var bindings: PostgresBindings

    /// Uses `sql` as given; its placeholders must match `bindings`. Never build `sql` from input.
    public init(unsafeSQL: String, bindings: PostgresBindings = .init()) {
        self.sql = unsafeSQL
        self.bindings = bindings
    }

    /// A query with no parameters.
    public init(stringLiteral value: String) {
        self.sql = value
        self.bindings = .init()
    }

    /// A query built by interpolation.
    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.bindings = stringInterpolation.bindings
    }

    /// The SQL and the number of parameters; never the values, which may be private.
    public var description: String { "\(sql) [\(bindings.count) parameters]" }

    /// Builds the SQL text and the bindings side by side.
    public struct StringInterpolation: StringInterpolationProtocol {
        var sql: String
        var bindings = PostgresBindings()

        /// Reserves room for the literal text.
        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        /// SQL text from the literal.
        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// A value: appended as the next parameter, written as `$N`.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            bindings.append(value)
            sql += "$\(bindings.count)"
        }

        /// An optional value: NULL for `nil` (typed as the wrapped type), else the value.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            bindings.append(value)
            sql += "$\(bindings.count)"
        }

        /// A value given as an existential, as a parameter.
        public mutating func appendInterpolation(any value: any PostgresEncodable) {
            bindings.append(any: value)
            sql += "$\(bindings.count)"
        }

        /// An identifier (table, column, schema, database name), double-quoted with embedded
        /// quotes doubled, so it is always one identifier whatever it contains.
        public mutating func appendInterpolation(identifier: String) {
            sql += PostgresQuery.quoteIdentifier(identifier)
        }

        /// Raw SQL text, spliced as is. Only for text the program itself controls.
        public mutating func appendInterpolation(unescaped: String) {
            sql += unescaped
        }
    }

    /// `"name"` with `"` doubled, as PostgreSQL's `quote_ident` does for UTF-8 text.
    public static func quoteIdentifier(_ identifier: String) -> String {
        "\"" + identifier.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
