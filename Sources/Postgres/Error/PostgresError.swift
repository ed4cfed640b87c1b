/// An error from PostgreSQL or from talking to it: the server's SQLSTATE and fields when it sent
/// them, and a ``Kind`` saying which sort of failure it was.
///
/// Retry decisions read ``code`` (`40001` serialization failure, `23505` unique violation, …) and
/// ``isConnectionProblem``. The ``description`` shows the server's message and fields but never a
/// password: connection strings are described by ``PostgresConfiguration/description`` only.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// Which sort of failure this is.
    public enum Kind: Sendable, Hashable {
        /// The server rejected a statement; ``sqlState`` says why.
        case server
        /// The connection could not be made, or was lost.
        case connection
        /// The calling task was cancelled; a running statement was cancelled on the server.
        case cancelled
        /// A value in a result could not be decoded as the Swift type asked for.
        case decoding
        /// A parameter value cannot be sent (text containing NUL, for example).
        case encoding
        /// The server or libpq answered something this library does not expect.
        case `protocol`
        /// The pool was shut down.
        case shutdown
    }

    /// Which sort of failure this is.
    public var kind: Kind
    /// The SQLSTATE as a ``Code``; ``Code/unknown`` when the server sent none.
    public var code: Code
    /// The five-character SQLSTATE, when the server sent one.
    public var sqlState: String?
    /// The primary message (the server's, or ours for client-side failures).
    public var message: String
    /// The server's DETAIL field.
    public var detail: String?
    /// The server's HINT field.
    public var hint: String?
    /// The constraint that was violated, if any.
    public var constraint: String?
    /// The table the error is about, if the server named one.
    public var table: String?
    /// The column the error is about, if the server named one.
    public var column: String?
    /// True when the statement never left this process, so running it again cannot run it twice.
    var requestWasNotSent = false

    /// Makes an error; the server's fields default to absent.
    public init(
        kind: Kind,
        message: String,
        sqlState: String? = nil,
        detail: String? = nil,
        hint: String? = nil,
        constraint: String? = nil,
        table: String? = nil,
        column: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.code = Code(sqlState ?? "")
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
    }

    /// True when the connection is the problem, not the statement: it was refused or lost, or the
    /// server is shutting down (`57P01`–`57P03`) or reported a connection exception (class `08`).
    /// The caller may retry on another connection.
    public var isConnectionProblem: Bool {
        if kind == .connection { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || code == .adminShutdown || code == .crashShutdown
            || code == .cannotConnectNow
    }

    /// True for the failures that ``PostgresPool/retryingSerializationFailures(maxAttempts:_:)``
    /// retries: serialization failures and deadlocks.
    public var isSerializationFailure: Bool {
        code == .serializationFailure || code == .deadlockDetected
    }

    /// One line with the kind, SQLSTATE, message and the server's fields.
    public var description: String {
        var text = "PostgreSQL \(kind) error"
        if let sqlState { text += " \(sqlState)" }
        text += ": \(message)"
        if let detail { text += " (detail: \(detail))" }
        if let hint { text += " (hint: \(hint))" }
        if let constraint { text += " (constraint: \(constraint))" }
        return text
    }
}

extension PostgresError {
    /// The error for a task that was cancelled before or while its statement ran.
    static let cancelled = PostgresError(
        kind: .cancelled,
        message: "the statement was cancelled because its task was cancelled",
        sqlState: Code.queryCanceled.rawValue
    )

    /// The error for a pool that was shut down.
    static let poolShutdown = PostgresError(
        kind: .shutdown,
        message: "the PostgreSQL pool has been shut down; no more queries can run on it"
    )
}
