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
        let ceiling = min(base * Double(1 << exponent), cap)
        let jittered = ceiling * Double.random(in: 0.5...1.0)
        if let retryAfter, retryAfter > jittered { return retryAfter }
        return jittered
    }
}
