import Postgres

/// What one maintenance pass did.
public struct MaintenanceReport: Sendable, Equatable {
    /// Submissions whose worker vanished, returned to the queue (the create may have reached
    /// Mantle: each is logged as an `abandoned` attempt).
    public var requeued = 0
    /// Jobs whose worker vanished on their last attempt, ended `failed`.
    public var failed = 0
    public var prunedJobs = 0
    public var prunedDeliveries = 0
}

extension JobStore {
    /// Returns expired submission leases (a worker killed mid-create) to the queue, in the place
    /// they had, or ends the job when that was its last attempt. Lease expiry, not age, drives this: a worker that is
    /// alive keeps extending its leases, however long its calls take.
    public func rescueExpiredSubmissions(limit: Int = 1000) async throws -> MaintenanceReport {
        try await pool.retryingSerializationFailures {
            try await pool.transaction { connection in
                let rows = try await connection.query("""
                    WITH expired AS (
                        SELECT id FROM jobs WHERE state = 'submitting' AND lease_expires_at < now()
                        ORDER BY lease_expires_at LIMIT \(limit) FOR UPDATE SKIP LOCKED
                    ), requeued AS (
                        -- run_at is left as it was: the job keeps its place in line instead of
                        -- queueing behind everything enqueued since (a whole batch, perhaps).
                        UPDATE jobs j SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
                        FROM expired WHERE j.id = expired.id AND j.attempt < j.max_attempts
                        RETURNING j.id, j.attempt, j.submitted_at
                    ), logged AS (
                        INSERT INTO attempts (job_id, attempt, outcome, error_code, error_message, started_at, finished_at)
                        SELECT id, attempt, 'abandoned', 'worker_lost',
                               'the worker submitting this attempt stopped renewing its lease; the create may have reached Mantle',
                               coalesce(submitted_at, now()), now()
                        FROM requeued
                    )
                    SELECT (SELECT count(*) FROM requeued) AS requeued,
                           coalesce((SELECT array_agg(j.id) FROM jobs j JOIN expired e ON e.id = j.id WHERE j.attempt >= j.max_attempts), '{}') AS exhausted,
                           coalesce((SELECT array_agg(j.attempt) FROM jobs j JOIN expired e ON e.id = j.id WHERE j.attempt >= j.max_attempts), '{}') AS exhausted_attempts
                    """)
                var report = MaintenanceReport()
                guard let row = rows.first else { return report }
                report.requeued = try row.decode("requeued", as: Int.self)
                let exhausted: [Int64] = try row.decode("exhausted")
                let attempts: [Int64] = try row.decode("exhausted_attempts")
                if !exhausted.isEmpty {
                    let endings = zip(exhausted, attempts).map { id, attempt in
                        Finalization(
                            jobID: id, attempt: Int(attempt), state: .failed, errorCode: "worker_lost",
                            errorMessage: "the worker submitting this job stopped responding on its last attempt (\(attempt))")
                    }
                    report.failed = try await finalize(endings, guard: .submittingWithExpiredLease, on: connection)
                }
                if report.requeued > 0 { try await notify(Channel.jobs, on: connection) }
                return report
            }
        }
    }

    /// Deletes finished jobs (with their results and attempts) and finished deliveries older
    /// than `retention`, at most `limit` of each per call, so the hot tables stay small.
    public func prune(retention: Duration, limit: Int = 10_000) async throws -> MaintenanceReport {
        let seconds = Double(retention.milliseconds) / 1000
        var report = MaintenanceReport()
        let deliveries = try await pool.query("""
            DELETE FROM deliveries WHERE id IN (
                SELECT id FROM deliveries WHERE finished_at < now() - make_interval(secs => \(seconds)) LIMIT \(limit))
            """)
        report.prunedDeliveries = deliveries.affectedRows
        let jobs = try await pool.query("""
            DELETE FROM jobs WHERE id IN (
                SELECT id FROM jobs WHERE finished_at < now() - make_interval(secs => \(seconds)) LIMIT \(limit))
            """)
        report.prunedJobs = jobs.affectedRows
        return report
    }
}
