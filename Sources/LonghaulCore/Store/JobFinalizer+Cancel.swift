import Postgres

/// Cancels: the one source of a cancel request to jobs with Mantle and of a split job's cancel,
/// for a user's cancel and a passed deadline alike.
extension JobFinalizer {
    /// Asks whoever follows these jobs with Mantle to cancel them: the Poller sends Mantle's cancel
    /// at its next look (at once for a Response no worker holds), a held stream is closed at its
    /// next checkpoint. Their end is Mantle's answer, written by `finalize`. Returns how many.
    @discardableResult
    func requestCancel(of jobIDs: [Int64], on connection: PostgresConnection) async throws -> Int {
        guard !jobIDs.isEmpty else { return 0 }
        let marked = try await connection.query(
            """
            UPDATE jobs SET cancel_requested_at = coalesce(cancel_requested_at, now()),
                            next_poll_at = CASE WHEN state = 'running' AND lease_owner IS NULL THEN now() ELSE next_poll_at END,
                            updated_at = now()
            WHERE id = ANY(\(jobIDs)) AND \(unescaped: RowStateGuard.sql("", .submitting, .running))
            """)
        if marked.affectedRows > 0 { try outbox.notifications.notify(QueueChannel.polls, on: connection) }
        return marked.affectedRows
    }

    /// Cancels a split job: its queued children at once, a cancel request for those with Mantle,
    /// and the job itself now, with the usage of the calls made so far.
    func cancelSplitJob(_ id: Int64, on connection: PostgresConnection) async throws {
        let children = try await connection.query(
            "SELECT id, state::text AS state FROM jobs WHERE parent_id = \(id) AND state IN ('queued', 'submitting', 'running') FOR UPDATE")
        var queued: [Finalization] = [], inFlight: [Int64] = []
        for row in children {
            let child: Int64 = try row.decode("id")
            if try row.decode("state", as: String.self) == JobState.queued.rawValue {
                queued.append(
                    Finalization(
                        jobID: child, attempt: nil, state: .cancelled, errorCode: "cancelled",
                        errorMessage: "cancelled with the job it was part of"))
            } else {
                inFlight.append(child)
            }
        }
        _ = try await finalize(queued, guard: .queued, on: connection)
        try await requestCancel(of: inFlight, on: connection)
        let usage = try await SplitJobs.usage(of: id, on: connection)
        _ = try await finalize(
            [
                Finalization(
                    jobID: id, attempt: nil, state: .cancelled, usage: usage, errorCode: "cancelled",
                    errorMessage: "cancelled while its chunks were being summarised")
            ],
            guard: .waitingForChildren, on: connection)
    }
}
