/// A request the store refused, in terms a caller can show: what and why.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The named thing does not exist (or is not visible to the caller).
    case notFound(String)
    /// The request collides with what is stored (a taken name, an idempotency key reused
    /// with a different body, a job in a state that does not allow the action).
    case conflict(String)
    /// A field is invalid.
    case invalid(field: String, message: String)

    public var description: String {
        switch self {
        case .notFound(let what): "\(what) not found"
        case .conflict(let message): message
        case .invalid(let field, let message): "\(field): \(message)"
        }
    }
}

extension Optional {
    /// The value, or an internal error naming what was expected (for rows a statement must return).
    func orThrow(_ what: @autoclosure () -> String) throws -> Wrapped {
        guard let self else { throw InternalInconsistency(what()) }
        return self
    }
}

/// A result the database guarantees and did not deliver: a bug, reported as such.
struct InternalInconsistency: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
