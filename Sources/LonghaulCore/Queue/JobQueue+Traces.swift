import Postgres

extension JobQueue {
    /// The stored `traceparent` of each of `jobIDs` that has one. Read after a claim, and only
    /// while tracing is on: one primary-key lookup per claimed batch, so the claim itself (and
    /// every worker without tracing) pays nothing.
    public func traceContexts(jobIDs: [Int64]) async throws -> [Int64: String] {
        guard !jobIDs.isEmpty else { return [:] }
        let rows = try await pool.query("""
            SELECT id, trace_context FROM jobs WHERE id = ANY(\(jobIDs)) AND trace_context IS NOT NULL
            """)
        var contexts: [Int64: String] = [:]
        for row in rows { contexts[try row.decode("id")] = try row.decode("trace_context") }
        return contexts
    }
}

extension DeliveryStore {
    /// The stored `traceparent` of the job behind each of `deliveryIDs` (a job's webhook joins
    /// its trace; a batch's has none), read like `JobQueue.traceContexts(jobIDs:)`.
    public func traceContexts(deliveryIDs: [Int64]) async throws -> [Int64: String] {
        guard !deliveryIDs.isEmpty else { return [:] }
        let rows = try await pool.query("""
            SELECT d.id, j.trace_context FROM deliveries d JOIN jobs j ON j.id = d.job_id
            WHERE d.id = ANY(\(deliveryIDs)) AND j.trace_context IS NOT NULL
            """)
        var contexts: [Int64: String] = [:]
        for row in rows { contexts[try row.decode("id")] = try row.decode("trace_context") }
        return contexts
    }
}
