public import Postgres

/// The queue as the workers see it: claim what is due, record what became of it, keep leases,
/// rescue what vanished workers left, prune what is old.
///
/// Every write the loops make is batched (one statement for many jobs, one commit per batch)
/// and guarded: it applies only to rows still in the state and lease the writer expects, so a
/// rescued or cancelled job is never overwritten by a worker that lost it.
public struct JobQueue: Sendable {
    public let pool: PostgresPool
    let finalizer: JobFinalizer
    /// When a project's endpoint breaker opens and how often it and a paused project are probed.
    public let healthPolicy: EndpointHealth.Policy
    var notifications: NotifyLimiter { finalizer.outbox.notifications }

    /// `publicBaseURL` is where webhook receivers reach the API (`result_url` in payloads).
    public init(
        pool: PostgresPool, publicBaseURL: String = WebhookOutbox.defaultPublicBaseURL, healthPolicy: EndpointHealth.Policy = .init()
    ) {
        self.pool = pool
        self.finalizer = JobFinalizer(publicBaseURL: publicBaseURL)
        self.healthPolicy = healthPolicy
    }
}

/// What one write of outcomes did.
public struct RecordedOutcomes: Sendable, Equatable {
    /// Outcomes applied (the others were for jobs this worker no longer held).
    public var applied = 0
    /// Breakers opened or closed, projects paused or resumed.
    public var endpointChanges: [EndpointHealthChange] = []
    /// The jobs whose accept was written (`running` with their Response id), each with whether a
    /// cancel was asked for meanwhile.
    public var accepted: [Int64: Bool] = [:]

    public init(applied: Int = 0, endpointChanges: [EndpointHealthChange] = [], accepted: [Int64: Bool] = [:]) {
        self.applied = applied
        self.endpointChanges = endpointChanges
        self.accepted = accepted
    }
}
