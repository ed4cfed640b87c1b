/// A call to Mantle that did not succeed, classified once at the gateway (DESIGN §7) so that
/// `JobLifecycle` can decide from the class alone.
public enum RemoteCallError: Error, Sendable, Equatable {
    /// 408, 409, 429, 5xx, timeouts, connection failures, 4xx saying "Internal server error".
    /// `mayHaveBeenCreated`: a create whose answer was lost may still have made a Response.
    case retryable(AttemptError, retryAfter: Duration?, mayHaveBeenCreated: Bool)
    /// Other 4xx: retrying this request cannot help.
    case permanent(AttemptError)
    /// The Response does not exist (never stored, wrong region or project, or expired).
    case notFound(AttemptError)
    /// Nothing of this project can run until a person acts: Mantle refuses the key (401, 403),
    /// the Mantle project is unknown or archived, or the credential cannot be read. Nothing was
    /// created; the project is paused, not the job failed.
    case needsAttention(AttemptError)

    /// True when a create failed in a way that leaves its outcome unknown.
    public var mayHaveBeenCreated: Bool {
        if case .retryable(_, _, true) = self { return true }
        return false
    }

    /// The failure's class, for metrics: `retryable`, `permanent`, `not_found` or `needs_attention`.
    public var metricClass: String {
        switch self {
        case .retryable: "retryable"
        case .permanent: "permanent"
        case .notFound: "not_found"
        case .needsAttention: "needs_attention"
        }
    }

    /// What went wrong, for logs and the attempt row.
    public var detail: AttemptError {
        switch self {
        case .retryable(let detail, _, _), .permanent(let detail), .notFound(let detail), .needsAttention(let detail): detail
        }
    }
}
