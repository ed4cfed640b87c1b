/// When to repeat a read whose cost grows with the data — a count over every job of a run, or of
/// a queue — so that it takes at most a twentieth of the time: after each, it rests nineteen times
/// its own length. A cheap read stays as frequent as its caller's tick.
public struct ReadPacing: Sendable {
    /// A read is followed by at least this many times its length without one (1 in 20).
    static let restFactor = 19

    private var next: ContinuousClock.Instant?

    public init() {}

    /// Whether to read now: the first time, or once the rest after the last read is over.
    public func isDue(at now: ContinuousClock.Instant) -> Bool {
        next.map { now >= $0 } ?? true
    }

    /// A read that started at `start` and took `length`.
    public mutating func readTook(_ length: Duration, startedAt start: ContinuousClock.Instant) {
        next = start + length * (Self.restFactor + 1)
    }
}
