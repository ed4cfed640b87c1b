import Foundation

/// When a webhook delivery is attempted: the first attempt at once, then after each failure the
/// next delay of the schedule with ±`jitter`, and `failed` after the last.
///
/// The default is Svix's (0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts over about
/// 27.6 hours). `LONGHAUL_WEBHOOK_SCHEDULE` overrides it, so tests and demos can compress it.
public struct WebhookRetrySchedule: Sendable, Equatable {
    /// The delay before each attempt; the first is always zero (an outbox row is due when written).
    public private(set) var delays: [Duration]
    /// The fraction by which each retry delay varies either way (0.2: ±20 %).
    public var jitter: Double

    /// The environment variable that overrides the schedule, e.g. `0,5s,5m,30m,2h,5h,10h,10h`.
    public static let environmentVariable = "LONGHAUL_WEBHOOK_SCHEDULE"

    /// The schedule of the Standard Webhooks reference implementation.
    public static let standard = WebhookRetrySchedule(
        uncheckedDelays: [.zero, .seconds(5), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18000), .seconds(36000), .seconds(36000)],
        jitter: 0.2)

    /// A schedule of `delays` (the first must be zero) with ±`jitter`.
    public init(delays: [Duration], jitter: Double = 0.2) throws {
        guard let first = delays.first, first == .zero else {
            throw WebhookScheduleError(description: "a webhook schedule starts with 0 (the first attempt is immediate), e.g. 0,5s,5m")
        }
        guard delays.allSatisfy({ $0 >= .zero }), (0...1).contains(jitter) else {
            throw WebhookScheduleError(description: "webhook schedule delays must be positive and the jitter between 0 and 1")
        }
        self.init(uncheckedDelays: delays, jitter: jitter)
    }

    private init(uncheckedDelays: [Duration], jitter: Double) {
        self.delays = uncheckedDelays
        self.jitter = jitter
    }

    /// Parses `0,5s,5m,30m,2h` (units ms, s, m, h; a bare number is seconds), optionally followed
    /// by `;jitter=0.1`.
    public init(parsing text: String) throws {
        let sections = text.split(separator: ";")
        var jitter = 0.2
        for option in sections.dropFirst() {
            let pair = option.split(separator: "=")
            guard pair.count == 2, pair[0].trimmed == "jitter", let value = Double(pair[1].trimmed) else {
                throw WebhookScheduleError(description: "\(Self.environmentVariable): unknown option '\(option)'; only jitter=0.2 is understood")
            }
            jitter = value
        }
        let delays = try (sections.first ?? "").split(separator: ",").map { entry -> Duration in
            guard let delay = Self.duration(entry.trimmed) else {
                throw WebhookScheduleError(
                    description: "\(Self.environmentVariable): '\(entry)' is not a delay; write e.g. 0,5s,5m,30m,2h (units ms, s, m, h)")
            }
            return delay
        }
        try self.init(delays: delays, jitter: jitter)
    }

    /// The schedule `LONGHAUL_WEBHOOK_SCHEDULE` gives, or the standard one.
    public static func fromEnvironment(_ environment: [String: String]) throws -> WebhookRetrySchedule {
        guard let text = environment[environmentVariable], !text.isEmpty else { return .standard }
        return try WebhookRetrySchedule(parsing: text)
    }

    /// How many attempts one run of the schedule makes.
    public var attempts: Int { delays.count }

    /// The wait before the next attempt, after the `position`-th attempt of this schedule (1-based)
    /// failed; nil once the schedule is used up. A `retryAfter` the receiver sent (429, 503) is
    /// honoured within [delay, 2 × delay], so a receiver can slow a delivery down but neither
    /// hammer itself sooner nor push the delivery past the schedule's window.
    public func delay(afterAttempt position: Int, retryAfter: Duration? = nil) -> Duration? {
        guard position >= 1, position < delays.count else { return nil }
        let base = delays[position] * (1 + Double.random(in: -jitter...jitter))
        guard let retryAfter else { return base }
        return min(max(retryAfter, base), base * 2)
    }

    private static func duration(_ text: Substring) -> Duration? {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for unit in units where text.hasSuffix(unit.suffix) {
            guard let value = Double(text.dropLast(unit.suffix.count)), value >= 0, value.isFinite else { return nil }
            return .milliseconds((value * unit.seconds * 1000).rounded())
        }
        guard let value = Double(text), value >= 0, value.isFinite else { return nil }
        return .milliseconds((value * 1000).rounded())
    }
}

/// A webhook schedule that cannot be used, and how to write one that can.
public struct WebhookScheduleError: Error, CustomStringConvertible {
    public let description: String
}

extension Substring {
    fileprivate var trimmed: Substring {
        Substring(trimmingCharacters(in: .whitespaces))
    }
}
