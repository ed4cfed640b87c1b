/// How long to wait before the next attempt of a job whose attempt failed in a transient way.
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

    /// The delay after `attempt` (1-based) failed; `retryAfter` is the server's own request.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration {
        let exponent = Double(max(0, min(attempt - 1, 30)))
        let ceiling = min(base * pow2(exponent), cap)
        let jittered = ceiling * Double.random(in: 0.5...1.0)
        if let retryAfter, retryAfter > jittered { return retryAfter }
        return jittered
    }

    private func pow2(_ exponent: Double) -> Double {
        var value = 1.0
        for _ in 0..<Int(exponent) { value *= 2 }
        return value
    }
}
