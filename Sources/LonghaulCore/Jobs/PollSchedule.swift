/// When to look at a running Response again.
///
/// The interval grows with the Response's age — `age × growth`, between `minimum` and `maximum` —
/// so a Response that finishes in 2 s is seen within about a second, while one that runs 20 minutes
/// costs tens of polls rather than hundreds. Detection delay stays near `age × growth / 2`.
public struct PollSchedule: Sendable, Equatable {
    public var first: Duration
    public var minimum: Duration
    public var maximum: Duration
    public var growth: Double

    public init(first: Duration = .seconds(1), minimum: Duration = .seconds(1), maximum: Duration = .seconds(30), growth: Double = 0.2) {
        self.first = first
        self.minimum = minimum
        self.maximum = maximum
        self.growth = growth
    }

    /// The wait before the next poll of a Response submitted `age` ago.
    public func interval(age: Duration) -> Duration {
        let proposed = age * growth
        return min(max(proposed, minimum), maximum)
    }
}
