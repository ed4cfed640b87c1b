import Foundation
import Postgres

extension JobQueue {
    /// Claims up to `limit` running jobs whose next poll is due and that no live lease holds (a
    /// poll under way, or a Response stream a worker holds). A poller that dies simply lets its
    /// lease run out, and the job is due again: no rescue needed.
    ///
    /// The claim writes only the lease, which no index names, so PostgreSQL updates the row in
    /// place (a HOT update: no index entry written). Moving `next_poll_at` past the lease instead,
    /// as it once did, wrote an entry in each of the table's indexes: 705–747 WAL bytes per claim
    /// against 286–365 (`bench/pipeline.sh 5000 256`, README "Writes per job").
    public func claimPolls(worker: String, limit: Int, lease: Duration) async throws -> [ClaimedPoll] {
        guard limit > 0 else { return [] }
        let rows = try await pool.query("""
            WITH due AS (
                SELECT id FROM jobs
                WHERE state = 'running' AND next_poll_at <= now() AND (lease_expires_at IS NULL OR lease_expires_at <= now())
                ORDER BY next_poll_at LIMIT \(limit) FOR UPDATE SKIP LOCKED
            )
            UPDATE jobs j
            SET lease_owner = \(worker), lease_expires_at = now() + make_interval(secs => \(Double(lease.milliseconds) / 1000))
            FROM due WHERE j.id = due.id
            RETURNING j.id, j.public_id, j.project_id, j.attempt, j.max_attempts, j.response_id, j.model,
                      coalesce(j.submitted_at, j.created_at) AS submitted_at,
                      j.cancel_requested_at IS NOT NULL AS cancel_requested, j.poll_failures,
                      j.estimated_input_tokens, j.max_output_tokens
            """)
        return try rows.map { row in
            ClaimedPoll(
                id: try row.decode("id"), publicID: try row.decode("public_id"), projectID: try row.decode("project_id"),
                attempt: try row.decode("attempt"), maxAttempts: try row.decode("max_attempts"),
                responseID: try row.decode("response_id"), model: try row.decode("model"),
                submittedAt: try row.decode("submitted_at"),
                cancelRequested: try row.decode("cancel_requested"), failedLooks: try row.decode("poll_failures", as: Int.self),
                estimatedInputTokens: try row.decode("estimated_input_tokens"), maxOutputTokens: try row.decode("max_output_tokens"))
        }
    }

    /// Gives up this worker's poll leases of `jobIDs` that are still `running`, and makes them due:
    /// the first looks a stopping worker kept in hand and never took, so that another worker polls
    /// them now rather than once the lease runs out (their stored next poll is the lease's end).
    public func releasePollLeases(jobIDs: [Int64], worker: String) async throws {
        guard !jobIDs.isEmpty else { return }
        try await pool.query("""
            UPDATE jobs SET lease_owner = NULL, lease_expires_at = NULL, next_poll_at = least(next_poll_at, now())
            WHERE id = ANY (\(jobIDs)) AND \(unescaped: RowStateGuard.sql("jobs", .running)) AND lease_owner = \(worker)
            """)
    }

    private struct RescheduleRow: Encodable, Sendable {
        var job_id: Int64
        var delay_ms: Int64
        var remote_status: String?
        var counted: Bool
    }

    private struct ResubmitRow: Encodable, Sendable {
        var job_id: Int64
        var attempt: Int
        var delay_ms: Int64
    }

    /// Records a batch of poll outcomes in one transaction, each applied only if this worker still
    /// holds the job's poll lease, with what the looks said of each project's endpoint (`health`,
    /// see `recordHealth`). Returns how many applied and what changed of the endpoints.
    @discardableResult
    public func recordPolls(
        _ outcomes: [PollOutcome], worker: String, health: [Int64: EndpointHealth.Observation] = [:]
    ) async throws -> RecordedOutcomes {
        guard !outcomes.isEmpty else { return RecordedOutcomes() }
        var reschedules: [RescheduleRow] = [], resubmits: [ResubmitRow] = [], endings: [Finalization] = [], failedAttempts: [AttemptRow] = []
        for outcome in outcomes {
            switch outcome {
            case .stillRunning(let jobID, let remoteStatus, let next):
                reschedules.append(RescheduleRow(job_id: jobID, delay_ms: next.milliseconds, remote_status: remoteStatus, counted: true))
            case .pollFailed(let jobID, let retryIn):
                reschedules.append(RescheduleRow(job_id: jobID, delay_ms: retryIn.milliseconds, remote_status: nil, counted: false))
            case .finished(let jobID, let attempt, let result):
                endings.append(Finalization(
                    jobID: jobID, attempt: attempt, state: result.state, remoteStatus: result.remoteStatus, outputText: result.outputText,
                    usage: result.usage, incompleteReason: result.incompleteReason, errorCode: result.errorCode,
                    errorMessage: result.errorMessage, response: result.responseJSON))
            case .resubmit(let jobID, let attempt, let retryIn, let error):
                resubmits.append(ResubmitRow(job_id: jobID, attempt: attempt, delay_ms: retryIn.milliseconds))
                failedAttempts.append(AttemptRow(job_id: jobID, attempt: attempt, http_status: error.httpStatus, outcome: "remote_failed", error_code: error.code, error_message: error.message, started_ms: 0))
            }
        }
        return try await pool.retryingSerializationFailures {
            try await pool.transaction { connection in
                var applied = 0
                if !reschedules.isEmpty {
                    let rows = try await connection.query("""
                        UPDATE jobs j
                        SET next_poll_at = CASE WHEN j.cancel_requested_at IS NOT NULL AND u.counted THEN now()
                                                ELSE now() + u.delay_ms * interval '1 millisecond' END,
                            poll_count = j.poll_count + CASE WHEN u.counted THEN 1 ELSE 0 END,
                            poll_failures = CASE WHEN u.counted THEN 0 ELSE least(j.poll_failures + 1, 30) END,
                            remote_status = coalesce(u.remote_status, j.remote_status),
                            lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
                        FROM jsonb_to_recordset(\(recordset(reschedules))) AS u(job_id bigint, delay_ms bigint, remote_status text, counted boolean)
                        WHERE j.id = u.job_id AND \(unescaped: RowStateGuard.sql("j", .running)) AND j.lease_owner = \(worker)
                        """)
                    applied += rows.affectedRows
                }
                if !resubmits.isEmpty {
                    let rows = try await connection.query("""
                        UPDATE jobs j
                        SET state = 'queued', run_at = now() + u.delay_ms * interval '1 millisecond', response_id = NULL,
                            next_poll_at = NULL, poll_count = 0, poll_failures = 0, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
                        FROM jsonb_to_recordset(\(recordset(resubmits))) AS u(job_id bigint, attempt smallint, delay_ms bigint)
                        WHERE j.id = u.job_id AND \(unescaped: RowStateGuard.sql("j", .running)) AND j.lease_owner = \(worker) AND j.attempt = u.attempt
                        """)
                    applied += rows.affectedRows
                    try await connection.query("""
                        UPDATE attempts a SET outcome = u.outcome, error_code = u.error_code, error_message = u.error_message,
                                              http_status = u.http_status, finished_at = now()
                        FROM jsonb_to_recordset(\(recordset(failedAttempts))) AS u(job_id bigint, attempt smallint, http_status smallint,
                                                                                outcome text, error_code text, error_message text)
                        WHERE a.job_id = u.job_id AND a.attempt = u.attempt AND a.outcome = 'submitted'
                        """)
                }
                if !endings.isEmpty {
                    applied += try await finalizer.finalize(endings, guard: .runningLeasedBy(worker), on: connection)
                }
                let changes = try await recordHealth(health, on: connection)
                return RecordedOutcomes(applied: applied, endpointChanges: changes)
            }
        }
    }
}
