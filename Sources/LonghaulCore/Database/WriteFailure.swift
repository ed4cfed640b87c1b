import Postgres

/// What a failed write of a batch (outcomes, grouped enqueues) means for it, decided from the error alone.
///
/// Most failures are the database's (a lost connection, a restart, a full pool, a deadlock):
/// the same batch will go through later. A few are the batch's own — a value the statement
/// refuses (SQLSTATE classes 22 data exception, 23 integrity constraint, 42 syntax or access
/// rule), a value that cannot be encoded — and would fail for ever: one bad outcome would stall
/// every job behind it, so the writer isolates it instead.
public enum WriteFailure: Equatable, Sendable {
    /// Keep the whole batch and try again after a pause.
    case retryLater
    /// Write smaller batches until the outcome that breaks the statement is alone, then drop it
    /// (its job's lease runs out and the job is claimed afresh, so nothing is lost).
    case isolate

    public static func of(_ error: any Error) -> WriteFailure {
        guard let error = error as? PostgresError else {
            return error is CancellationError ? .retryLater : .isolate
        }
        switch error.kind {
        case .encoding, .decoding: return .isolate
        case .server:
            guard let sqlState = error.sqlState, !error.isConnectionProblem else { return .retryLater }
            return ["22", "23", "42"].contains(String(sqlState.prefix(2))) ? .isolate : .retryLater
        default: return .retryLater
        }
    }
}
