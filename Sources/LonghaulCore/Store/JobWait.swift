public import Foundation

/// Why a job that is not finished is not moving, when something holds it: its project is paused
/// or its endpoint unavailable, or the endpoint has not taken it and it waits for its next try.
public struct JobWait: Sendable, Equatable, Codable {
    public enum Reason: String, Sendable, Codable {
        /// Mantle refuses the project: a person must fix its key or credential.
        case projectRefused = "project_refused"
        case pausedByOperator = "paused_by_operator"
        /// The project's endpoint breaker is open.
        case endpointUnavailable = "endpoint_unavailable"
        /// The endpoint did not take this job's create (5xx, 429, no connection); it is tried
        /// again within the project's retry window, without spending an attempt.
        case retrying
        /// A spending cap of the project cannot admit its next job this period.
        case budgetReached = "budget_reached"
        /// The cap of the job's batch cannot admit the job's worst case.
        case batchBudgetReached = "batch_budget_reached"
    }

    public var reason: Reason
    public var message: String
    public var since: Date
    /// When Longhaul tries again by itself; nil when only a person can lift the hold.
    public var nextTryAt: Date?

    public init(reason: Reason, message: String, since: Date, nextTryAt: Date?) {
        self.reason = reason
        self.message = message
        self.since = since
        self.nextTryAt = nextTryAt
    }

    /// The wait of a queued job: its project's hold first (it holds every job), then a spending
    /// cap the project reached, then its batch's cap (`batchBudget`: why it cannot admit the job),
    /// else its own retries.
    static func of(
        state: JobState, project: String, hold: ProjectHold?, retryingSince: Date?, runAt: Date, lastError: String?,
        budget: ProjectBudget? = nil, batchBudget: String? = nil
    ) -> JobWait? {
        guard state == .queued else { return nil }
        if let hold {
            let reason: Reason =
                switch hold.kind {
                case .refused: .projectRefused
                case .pausedByOperator: .pausedByOperator
                case .endpointUnavailable: .endpointUnavailable
                }
            return JobWait(reason: reason, message: hold.message(project: project), since: hold.since, nextTryAt: hold.nextProbeAt)
        }
        if let budget {
            return JobWait(reason: .budgetReached, message: budget.message(project: project), since: Date(), nextTryAt: budget.resetsAt)
        }
        if let batchBudget {
            return JobWait(reason: .batchBudgetReached, message: batchBudget, since: Date(), nextTryAt: nil)
        }
        guard let retryingSince else { return nil }
        return JobWait(
            reason: .retrying,
            message: "the endpoint has not taken this job since \(retryingSince.ISO8601Format())"
                + (lastError.map { " (last: \($0))" } ?? "") + "; no attempt is spent on that, and it is tried again at \(runAt.ISO8601Format())",
            since: retryingSince, nextTryAt: runAt)
    }
}
