public import Foundation

/// Why a project's queued jobs are not being submitted: Mantle refuses the project, an operator
/// paused it, or its endpoint keeps failing. Shown wherever a user looks at the project or at
/// a job that waits (`GET /v1/jobs/{id}`, `longhaul projects show`, `longhaul batch`).
public struct ProjectHold: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// Mantle refuses the project (its key, its Mantle project, its credential); probed about once a minute.
        case refused
        /// `longhaul projects pause`; lifted only by `resume`.
        case pausedByOperator = "paused_by_operator"
        /// The endpoint's breaker is open: calls kept failing; one probe goes out on a growing interval.
        case endpointUnavailable = "endpoint_unavailable"
    }

    public var kind: Kind
    /// Mantle's error code (or `operator`).
    public var code: String
    /// What Mantle (or the operator) said.
    public var reason: String
    public var since: Date
    /// When Longhaul tries again by itself; nil when only a person can lift it.
    public var nextProbeAt: Date?

    public init(kind: Kind, code: String, reason: String, since: Date, nextProbeAt: Date?) {
        self.kind = kind
        self.code = code
        self.reason = reason
        self.since = since
        self.nextProbeAt = nextProbeAt
    }

    /// One sentence for a person: what holds the project and what lifts it.
    public func message(project slug: String) -> String {
        switch kind {
        case .refused:
            "paused: Mantle refuses project \(slug) — \(reason) (\(code)); fix the key (OPENAI_API_KEY, or the project's credential: "
                + "longhaul projects update \(slug) --credential …), then `longhaul projects resume \(slug)` or wait for the next try"
        case .pausedByOperator:
            "paused by an operator\(reason.isEmpty ? "" : ": \(reason)"); `longhaul projects resume \(slug)` lifts it"
        case .endpointUnavailable:
            "waiting: project \(slug)'s Mantle endpoint is unavailable (\(reason)); its jobs wait in the queue and resume when it answers"
        }
    }
}
