/// A transaction isolation level, for ``PostgresPool/transaction(isolation:callerIsolation:_:)``.
public enum PostgresIsolation: Sendable, Hashable {
    /// Each statement sees data committed before it began (PostgreSQL's default).
    case readCommitted
    /// The whole transaction sees one snapshot; concurrent updates fail with 40001.
    case repeatableRead
    /// As if transactions ran one at a time; conflicts fail with 40001 and should be retried.
    case serializable

    /// The `BEGIN` statement for this level.
    var beginSQL: String {
        switch self {
        case .readCommitted: "BEGIN ISOLATION LEVEL READ COMMITTED"
        case .repeatableRead: "BEGIN ISOLATION LEVEL REPEATABLE READ"
        case .serializable: "BEGIN ISOLATION LEVEL SERIALIZABLE"
        }
    }
}
