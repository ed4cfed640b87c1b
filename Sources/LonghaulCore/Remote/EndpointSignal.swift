/// What one call says about the endpoint behind it (rather than about the job): the input of
/// the project's breaker and pause (`EndpointHealth`).
public enum EndpointSignal: Sendable, Equatable {
    /// Mantle answered: a success, or a refusal of this request alone (a 400, a 404).
    case answered
    /// No useful answer: 5xx, 429, a timeout, a refused or reset connection.
    case unavailable(AttemptError)
    /// Mantle refuses the project as a whole: a person must act.
    case refused(AttemptError)

    /// The signal of a call's result.
    public init<Success>(_ result: Result<Success, RemoteCallError>) {
        switch result {
        case .success, .failure(.permanent), .failure(.notFound): self = .answered
        case .failure(.retryable(let detail, _, _)): self = .unavailable(detail)
        case .failure(.needsAttention(let detail)): self = .refused(detail)
        }
    }
}
