extension PostgresError {
    /// A SQLSTATE code, with names for the ones Longhaul acts on.
    ///
    /// SQLSTATEs are an open set (extensions add their own), so this wraps the five characters
    /// instead of enumerating them; compare with the statics: `error.code == .uniqueViolation`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The five-character SQLSTATE, or "" when there was none.
        public let rawValue: String

        /// Wraps a SQLSTATE such as `"23505"`.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// The SQLSTATE, or "none".
        public var description: String { rawValue.isEmpty ? "none" : rawValue }

        /// The two-character class, e.g. `"08"` for connection exceptions.
        public var errorClass: Substring { rawValue.prefix(2) }

        /// No SQLSTATE: a client-side or connection error.
        public static let unknown = Code("")
        /// 23505: a unique constraint or index rejected a duplicate.
        public static let uniqueViolation = Code("23505")
        /// 23503: a foreign key points at nothing.
        public static let foreignKeyViolation = Code("23503")
        /// 23502: NULL into a NOT NULL column.
        public static let notNullViolation = Code("23502")
        /// 23514: a CHECK constraint failed.
        public static let checkViolation = Code("23514")
        /// 40001: a serializable transaction must be retried.
        public static let serializationFailure = Code("40001")
        /// 40P01: the server broke a deadlock by aborting this transaction; retry it.
        public static let deadlockDetected = Code("40P01")
        /// 57014: the statement was cancelled (by us or by `statement_timeout`).
        public static let queryCanceled = Code("57014")
        /// 57P01: the backend was terminated (`pg_terminate_backend` or a fast shutdown).
        public static let adminShutdown = Code("57P01")
        /// 57P02: the server is restarting after a crash.
        public static let crashShutdown = Code("57P02")
        /// 57P03: the server is starting up or otherwise not accepting connections yet.
        public static let cannotConnectNow = Code("57P03")
        /// 08000: generic connection exception.
        public static let connectionException = Code("08000")
        /// 08006: the connection failed.
        public static let connectionFailure = Code("08006")
        /// 25P02: a statement was sent in a transaction that already failed.
        public static let inFailedTransaction = Code("25P02")
        /// 55P03: `NOWAIT` could not take a lock.
        public static let lockNotAvailable = Code("55P03")
        /// 42P01: the table does not exist.
        public static let undefinedTable = Code("42P01")
        /// 42601: the SQL does not parse.
        public static let syntaxError = Code("42601")
        /// 22P02: a value does not parse as its type.
        public static let invalidTextRepresentation = Code("22P02")
        /// 0A000: feature not supported (also "cached plan must not change result type").
        public static let featureNotSupported = Code("0A000")
    }
}
