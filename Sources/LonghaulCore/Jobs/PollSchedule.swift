/// When to look at a running Response again.
///
/// With nothing known of the Response's length, the interval grows with its age — `age × growth`,
/// between `minimum` and `maximum` — so a Response that finishes in 2 s is seen within about a
/// second, while one that runs 20 minutes costs tens of polls rather than hundreds; detection delay
/// stays near `age × growth / 2` (8 s for a 60-s Response, measured).
///
/// With an `ExpectedEnd` (learned from this project's and model's completed jobs,
/// `ResponseDurationModel`) the looks aim at the end instead: none before the window
/// `duration × (1 ± spread)` opens except at most every quarter of the duration (a Response that
/// ends far earlier than its peers is still seen), then every `spread × duration / 4` inside the
/// window — between `minimum` and `maximum`, so a 60-s Response is looked at about every second
/// near its end and a 20-minute one every 30 s — and past the window the interval grows again
/// from there with the lateness, up to `maximum`. A 20-minute Response with a 10 % spread costs
/// about 12 looks instead of 59, and a 60-s one about 5 instead of 16.
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

    /// The wait before the next poll of a Response submitted `age` ago, knowing nothing of its length.
    public func interval(age: Duration) -> Duration {
        let proposed = age * growth
        return min(max(proposed, minimum), maximum)
    }

    /// The wait before the next poll of a Response submitted `age` ago that is expected to end as
    /// `expected` says; today's age-based schedule when nothing is expected.
    public func interval(age: Duration, expected: ExpectedEnd?) -> Duration {
        guard let expected, expected.duration > .zero else { return interval(age: age) }
        let opens = expected.duration * (1 - expected.spread)
        let closes = expected.duration * (1 + expected.spread)
        let step = min(max(expected.duration * (expected.spread / 4), minimum), maximum)
        if age < opens {
            // One long wait is safe only as far as the estimate is: never more than a quarter of
            // the expected duration, so a Response that ends early is still seen in time.
            let longest = max(maximum, expected.duration / 4)
            return max(min(opens - age, longest), minimum)
        }
        if age <= closes { return step }
        return min(max(step, (age - closes) * growth), maximum)
    }

    /// The wait before the first poll of a Response just created.
    public func first(expected: ExpectedEnd?) -> Duration {
        guard expected != nil else { return first }
        return interval(age: .zero, expected: expected)
    }
}

/// When a running Response is expected to end: `duration` after its submission, give or take
/// `spread` of it (a fraction; 0.1 means ±10 %).
public struct ExpectedEnd: Sendable, Equatable {
    public var duration: Duration
    public var spread: Double

    public init(duration: Duration, spread: Double) {
        self.duration = duration
        self.spread = spread
    }
}
