public import Foundation

/// Whether a project's endpoint may be called, decided from what calls said (`EndpointSignal`),
/// with no I/O: the breaker that stops claiming while an endpoint keeps failing, and the pause
/// that holds a project whose key Mantle refuses. `JobQueue.recordHealth` reads the state, calls
/// `after`, writes what it returns and announces the changes.
///
/// ```
/// closed ──threshold transient failures in a row──▶ open ──probe (one create) fails──▶ open, interval × 2
///   ▲                                                 │
///   └────────────────── any answer ◀──────────────────┘
/// running ──key refused──▶ paused (needs attention) ──probe every minute: any answer──▶ running
/// ```
/// An operator's pause (`longhaul projects pause`) is never lifted by a call, only by `resume`.
public enum EndpointHealth {
    public struct Policy: Sendable, Equatable {
        /// Transient failures in a row that open the breaker: few enough that a dead endpoint
        /// costs a handful of calls, more than the 1–2 that a healthy Mantle's bursts of 503 give.
        public var threshold: Int
        /// The first probe after the breaker opens; each failed probe doubles it, up to
        /// `maximumProbe`: one create per project every 30 s costs Mantle nothing, and bounds how
        /// long work stays stopped after the endpoint is back.
        public var firstProbe: Duration
        public var maximumProbe: Duration
        /// How often a paused project is tried again, so that a fix made on the AWS side (an IAM
        /// policy, a re-enabled key) resumes it by itself.
        public var pausedProbe: Duration

        public init(
            threshold: Int = 5, firstProbe: Duration = .seconds(5), maximumProbe: Duration = .seconds(30),
            pausedProbe: Duration = .seconds(60)
        ) {
            self.threshold = threshold
            self.firstProbe = firstProbe
            self.maximumProbe = maximumProbe
            self.pausedProbe = pausedProbe
        }
    }

    /// What the calls recorded in one write said about one project's endpoint.
    public struct Observation: Sendable, Equatable {
        public var answered = 0
        /// Creates and looks that got no useful answer; only creates are probes.
        public var unavailableCreates = 0
        public var unavailableLooks = 0
        public var lastUnavailable: AttemptError?
        public var refused: AttemptError?

        public init() {}

        public mutating func add(_ signal: EndpointSignal, isCreate: Bool) {
            switch signal {
            case .answered: answered += 1
            case .unavailable(let error):
                if isCreate { unavailableCreates += 1 } else { unavailableLooks += 1 }
                lastUnavailable = error
            case .refused(let error): refused = error
            }
        }

        /// True when every call was answered: then nothing needs reading to decide (any answer
        /// closes the breaker and lifts Longhaul's own pause).
        public var isHealthy: Bool { answered > 0 }
    }

    public struct Breaker: Sendable, Equatable {
        /// Transient failures in a row.
        public var failures: Int
        public var openedAt: Date?
        public var probeInterval: Duration?
        public var nextProbeAt: Date?
        public var lastError: String?

        public init(failures: Int, openedAt: Date? = nil, probeInterval: Duration? = nil, nextProbeAt: Date? = nil, lastError: String? = nil) {
            self.failures = failures
            self.openedAt = openedAt
            self.probeInterval = probeInterval
            self.nextProbeAt = nextProbeAt
            self.lastError = lastError
        }

        public var isOpen: Bool { openedAt != nil }
    }

    public enum PauseKind: String, Sendable, Equatable {
        /// Longhaul paused it because Mantle refuses the project; probes lift it.
        case needsAttention = "needs_attention"
        /// An operator paused it; only `resume` lifts it.
        case manual = "operator"
    }

    public struct Pause: Sendable, Equatable {
        public var kind: PauseKind
        public var code: String
        public var reason: String
        public var since: Date
        public var nextProbeAt: Date?

        public init(kind: PauseKind, code: String, reason: String, since: Date, nextProbeAt: Date? = nil) {
            self.kind = kind
            self.code = code
            self.reason = reason
            self.since = since
            self.nextProbeAt = nextProbeAt
        }
    }

    /// One project's endpoint as stored.
    public struct State: Sendable, Equatable {
        public var breaker: Breaker?
        public var pause: Pause?

        public init(breaker: Breaker? = nil, pause: Pause? = nil) {
            self.breaker = breaker
            self.pause = pause
        }
    }

    /// What changed, for logs, metrics and webhooks.
    public enum Change: Sendable, Equatable {
        case breakerOpened(failures: Int, error: String?)
        case breakerClosed(openedAt: Date)
        case paused(AttemptError)
        case resumed(pausedAt: Date)
    }

    /// The state after `observation`, and what changed.
    public static func after(_ observation: Observation, _ state: State, policy: Policy, now: Date) -> (State, [Change]) {
        var next = state
        var changes: [Change] = []
        if observation.answered > 0 {
            if let openedAt = state.breaker?.openedAt { changes.append(.breakerClosed(openedAt: openedAt)) }
            next.breaker = nil
            if let pause = state.pause, pause.kind == .needsAttention {
                next.pause = nil
                changes.append(.resumed(pausedAt: pause.since))
            }
            return (next, changes)
        }
        if let refused = observation.refused {
            if var pause = state.pause {
                if pause.kind == .needsAttention {
                    pause.code = refused.code
                    pause.reason = refused.message
                    pause.nextProbeAt = now + policy.pausedProbe
                }
                next.pause = pause
            } else {
                next.pause = Pause(kind: .needsAttention, code: refused.code, reason: refused.message, since: now, nextProbeAt: now + policy.pausedProbe)
                changes.append(.paused(refused))
            }
            return (next, changes)
        }
        let failed = observation.unavailableCreates + observation.unavailableLooks
        guard failed > 0 else { return (next, changes) }
        var breaker = state.breaker ?? Breaker(failures: 0)
        breaker.failures += failed
        breaker.lastError = observation.lastUnavailable.map { "\($0.httpStatus.map { "HTTP \($0) " } ?? "")\($0.code): \($0.message)" }
        if breaker.isOpen {
            // Only a create is a probe: looks at running Responses fail meanwhile without
            // pushing the next probe further out.
            if observation.unavailableCreates > 0 {
                let interval = min((breaker.probeInterval ?? policy.firstProbe) * 2, policy.maximumProbe)
                breaker.probeInterval = interval
                breaker.nextProbeAt = now + interval
            }
        } else if breaker.failures >= policy.threshold {
            breaker.openedAt = now
            breaker.probeInterval = policy.firstProbe
            breaker.nextProbeAt = now + policy.firstProbe
            changes.append(.breakerOpened(failures: breaker.failures, error: breaker.lastError))
        }
        next.breaker = breaker
        return (next, changes)
    }
}

extension Date {
    static func + (date: Date, duration: Duration) -> Date {
        date.addingTimeInterval(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
