/// Whether a job whose attempt failed in a transient way gets another, and after how long: the
/// decision and the delay kept together, as swift-jobs keeps `shouldRetry` beside its backoff.
///
/// Exponential with full jitter on the upper half (`base × 2^(attempt-1)`, capped), and never
/// sooner than a `Retry-After` the server asked for.
public struct RetryPolicy: Sendable, Equatable {
    public var base: Duration
    public var cap: Duration

    public init(base: Duration = .seconds(2), cap: Duration = .seconds(300)) {
        self.base = base
        self.cap = cap
    }

    /// The delay before the attempt after `attempt` (1-based) of `maxAttempts`, or nil when that
    /// was the last one; `retryAfter` is the server's own request.
    public func delay(afterAttempt attempt: Int, of maxAttempts: Int, retryAfter: Duration? = nil) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        return delay(afterAttempt: attempt, retryAfter: retryAfter)
    }

    /// The delay after `attempt` (1-based) failed; `retryAfter` is the server's own request.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration {
        let exponent = max(0, min(attempt - 1, 30))
        return jittered(below: min(base * Double(1 << exponent), cap), retryAfter: retryAfter)
    }

    /// The delay before trying again an endpoint that has not taken the job for `waited`: as long
    /// again (between `base` and `cap`), so the tries thin out exponentially however many there
    /// were, without counting them.
    public func delay(unavailableFor waited: Duration, retryAfter: Duration? = nil) -> Duration {
        jittered(below: min(max(waited, base), cap), retryAfter: retryAfter)
    }

    private func jittered(below ceiling: Duration, retryAfter: Duration?) -> Duration {
        let jittered = ceiling * Double.random(in: 0.5...1.0)
        if let retryAfter, retryAfter > jittered { return retryAfter }
        return jittered
    }
}
