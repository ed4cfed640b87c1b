import Postgres

/// Webhooks of one piece of work that have not gone out yet.
public struct PendingDeliveries: Sendable, Equatable {
    /// Being sent now, or due within the horizon asked for: a running deliverer sends them.
    public var due: Int
    /// Waiting for a retry past the horizon (the receiver failed): the next `longhaul work` sends them.
    public var later: Int

    public var total: Int { due + later }

    public init(due: Int, later: Int) {
        self.due = due
        self.later = later
    }
}

extension DeliveryStore {
    /// The pending deliveries of these jobs and of this batch (its `batch.completed`). A delivery
    /// being sent (under a lease) counts as due whatever its `next_attempt_at` says.
    public func pending(jobIDs: [Int64], batchID: Int64?, dueWithin horizon: Duration) async throws -> PendingDeliveries {
        let seconds = Double(horizon.milliseconds) / 1000
        let rows = try await pool.query("""
            SELECT count(*) FILTER (WHERE lease_owner IS NOT NULL OR next_attempt_at <= now() + make_interval(secs => \(seconds)))::bigint AS due,
                   count(*) FILTER (WHERE lease_owner IS NULL AND next_attempt_at > now() + make_interval(secs => \(seconds)))::bigint AS later
            FROM deliveries
            WHERE state = 'pending' AND (job_id = ANY(\(jobIDs)) OR (\(batchID)::bigint IS NOT NULL AND batch_id = \(batchID)))
            """)
        guard let row = rows.first else { return PendingDeliveries(due: 0, later: 0) }
        return PendingDeliveries(due: try row.decode("due"), later: try row.decode("later"))
    }
}
