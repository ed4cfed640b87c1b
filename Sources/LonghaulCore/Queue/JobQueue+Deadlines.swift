import Postgres

/// What one pass over the jobs with a deadline did.
public struct DeadlineReport: Sendable, Equatable {
    /// Queued jobs whose deadline came near: the claim takes them before their project's others.
    public var urgent = 0
    /// Jobs not yet with Mantle whose deadline passed: ended `failed`, `deadline_exceeded`.
    public var expired = 0
    /// Jobs with Mantle whose deadline passed: a cancel is on its way, and their cancelled end
    /// is written as `deadline_exceeded` (`JobFinalizer`).
    public var cancelling = 0

    public init(urgent: Int = 0, expired: Int = 0, cancelling: Int = 0) {
        self.urgent = urgent
        self.expired = expired
        self.cancelling = cancelling
    }
}

extension JobQueue {
    /// The Maintainer's pass over jobs with a deadline (migration 0012), through the partial index
    /// of jobs that still have one to meet: jobs without a deadline cost it nothing. When a job
    /// turns urgent is `longhaul_urgent_at`'s rule; how a cancelled job past its deadline is
    /// written is `JobFinalizer`'s.
    public func enforceDeadlines(limit: Int = 1000) async throws -> DeadlineReport {
        try await pool.retryingSerializationFailures {
            try await pool.transaction { connection in
                var report = DeadlineReport()
                report.urgent = try await connection.query(
                    """
                    UPDATE jobs SET urgent = true, updated_at = now()
                    WHERE deadline IS NOT NULL AND finished_at IS NULL AND state = 'queued' AND NOT urgent
                      AND longhaul_urgent_at(deadline, max_output_tokens) <= now() AND deadline > now()
                    """
                ).affectedRows
                let passed = try await connection.query(
                    """
                    SELECT id, state::text AS state FROM jobs
                    WHERE deadline IS NOT NULL AND finished_at IS NULL AND deadline <= now()
                      AND (state NOT IN ('submitting', 'running') OR cancel_requested_at IS NULL)
                    ORDER BY deadline LIMIT \(limit) FOR UPDATE SKIP LOCKED
                    """)
                var queued: [Finalization] = [], split: [Int64] = [], inFlight: [Int64] = []
                for row in passed {
                    let id: Int64 = try row.decode("id")
                    switch JobState(rawValue: try row.decode("state")) {
                    case .queued: queued.append(Finalization(jobID: id, attempt: nil, state: .cancelled))
                    case .waitingForChildren: split.append(id)
                    case .submitting, .running: inFlight.append(id)
                    case .completed, .failed, .incomplete, .cancelled, nil: continue
                    }
                }
                // Ended as cancels, which the finalizer writes as `failed`, `deadline_exceeded`.
                report.expired = try await finalizer.finalize(queued, guard: .queued, on: connection)
                for id in split {
                    try await finalizer.cancelSplitJob(id, on: connection)
                    report.expired += 1
                }
                report.cancelling = try await finalizer.requestCancel(of: inFlight, on: connection)
                return report
            }
        }
    }
}
