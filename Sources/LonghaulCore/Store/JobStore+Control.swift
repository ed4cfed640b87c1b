import Postgres

/// What a cancel request did.
public enum CancelOutcome: Sendable, Equatable {
    /// The job was still queued: it is `cancelled` now.
    case cancelled
    /// The job is with Mantle: a cancel call is on its way; the job ends in Mantle's final status.
    case cancelRequested
    /// The job had already ended in this state; nothing changed.
    case alreadyFinished(JobState)
}

extension JobStore {
    /// Cancels a job of `projectID` (nil: any project, for admins) by public id.
    public func cancel(publicID: String, projectID: Int64?) async throws -> CancelOutcome {
        try await pool.retryingSerializationFailures {
            try await pool.transaction { connection in try await cancel(publicID: publicID, projectID: projectID, on: connection) }
        }
    }

    /// `cancel(publicID:projectID:)` inside the caller's transaction.
    func cancel(publicID: String, projectID: Int64?, on connection: PostgresConnection) async throws -> CancelOutcome {
        let rows = try await connection.query("""
            SELECT id, state::text AS state FROM jobs
            WHERE id = (SELECT job_id FROM job_keys WHERE public_id = \(publicID)) AND (\(projectID)::bigint IS NULL OR project_id = \(projectID))
            FOR UPDATE
            """)
        guard let row = rows.first else { throw StoreError.notFound("job \(publicID)") }
        let id: Int64 = try row.decode("id")
        let state = JobState(rawValue: try row.decode("state")) ?? .queued
        switch state {
        case .queued:
            _ = try await finalizer.finalize(
                [Finalization(jobID: id, attempt: nil, state: .cancelled, errorCode: "cancelled", errorMessage: "cancelled before submission")],
                guard: .queued, on: connection)
            return .cancelled
        case .submitting, .running:
            try await finalizer.requestCancel(of: [id], on: connection)
            return .cancelRequested
        case .waitingForChildren:
            try await finalizer.cancelSplitJob(id, on: connection)
            return .cancelled
        case .completed, .failed, .incomplete, .cancelled:
            return .alreadyFinished(state)
        }
    }

    /// Puts a failed or incomplete job back on the queue for a fresh series of attempts.
    public func retry(publicID: String, projectID: Int64?) async throws {
        try await pool.retryingSerializationFailures {
            try await pool.transaction { connection in try await retry(publicID: publicID, projectID: projectID, on: connection) }
        }
    }

    /// `retry(publicID:projectID:)` inside the caller's transaction.
    func retry(publicID: String, projectID: Int64?, on connection: PostgresConnection) async throws {
        let rows = try await connection.query("""
            UPDATE jobs j
            -- A split job waits for its children again; only those that did not complete run again.
            SET state = CASE WHEN EXISTS (SELECT 1 FROM jobs c WHERE c.parent_id = j.id)
                             THEN 'waiting_for_children'::job_state ELSE 'queued'::job_state END,
                children_due_at = CASE WHEN EXISTS (SELECT 1 FROM jobs c WHERE c.parent_id = j.id) THEN now() END,
                finished_at = NULL, response_id = NULL, remote_status = NULL, run_at = now(),
                next_poll_at = NULL, poll_count = 0, poll_failures = 0, retrying_since = NULL, cancel_requested_at = NULL, updated_at = now(),
                -- A retry asks for the work again: a deadline that has passed no longer applies.
                deadline = CASE WHEN j.deadline > now() THEN j.deadline END, urgent = false,
                max_attempts = least(j.attempt + p.max_attempts, 32000)
            FROM projects p
            WHERE j.id = (SELECT job_id FROM job_keys WHERE public_id = \(publicID)) AND p.id = j.project_id
              AND (\(projectID)::bigint IS NULL OR j.project_id = \(projectID))
              AND j.state IN ('failed', 'incomplete')
            RETURNING j.id, j.batch_id
            """)
        guard let row = rows.first else {
            let found = try await connection.query("""
                SELECT state::text AS state FROM jobs
                WHERE id = (SELECT job_id FROM job_keys WHERE public_id = \(publicID)) AND (\(projectID)::bigint IS NULL OR project_id = \(projectID))
                """)
            guard let existing = found.first else { throw StoreError.notFound("job \(publicID)") }
            let state: String = try existing.decode("state")
            throw StoreError.conflict("job \(publicID) is \(state); only failed or incomplete jobs can be retried")
        }
        let id: Int64 = try row.decode("id")
        try await connection.query("DELETE FROM results WHERE job_id = \(id)")
        try await retryUnfinishedChildren(of: id, on: connection)
        try notifications.notify(QueueChannel.splits, on: connection)
        if let batchID = try row.decode("batch_id", as: Int64?.self) {
            try await connection.query("UPDATE batches SET pending_jobs = pending_jobs + 1, finished_at = NULL WHERE id = \(batchID)")
        }
        try notifications.notify(QueueChannel.jobs, on: connection)
    }
}

extension JobStore {
    /// Puts a split job's children that did not complete back on the queue; completed ones keep
    /// their summaries and are not called again.
    func retryUnfinishedChildren(of id: Int64, on connection: PostgresConnection) async throws {
        let retried = try await connection.query("""
            UPDATE jobs c
            SET state = 'queued', finished_at = NULL, response_id = NULL, remote_status = NULL, run_at = now(),
                next_poll_at = NULL, poll_count = 0, poll_failures = 0, retrying_since = NULL, cancel_requested_at = NULL, updated_at = now(),
                deadline = CASE WHEN c.deadline > now() THEN c.deadline END, urgent = false,
                max_attempts = least(c.attempt + p.max_attempts, 32000)
            FROM projects p
            WHERE c.parent_id = \(id) AND p.id = c.project_id AND c.state IN ('failed', 'incomplete', 'cancelled')
            RETURNING c.id
            """)
        let ids = try retried.map { try $0.decode("id", as: Int64.self) }
        if !ids.isEmpty {
            try await connection.query("DELETE FROM results WHERE job_id = ANY(\(ids))")
        }
    }
}
