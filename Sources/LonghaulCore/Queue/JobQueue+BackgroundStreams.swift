import Foundation
import Postgres

extension JobQueue {
    /// Renews the leases of the running jobs whose Response streams this worker holds: a held
    /// stream needs no poll, and the Poller's claim skips a job under a live lease. A worker that
    /// dies stops renewing, so its jobs come due for polling within one lease. A job a user asked
    /// to cancel is not renewed: its lease runs out and a Poller sends the cancel.
    ///
    /// A renewal writes only the lease (a HOT update: no index entry) while the job's next poll is
    /// more than half a lease away, and moves the next poll to the new lease's end when it is
    /// nearer: with heartbeats every third of a lease, every other renewal is HOT, and a held
    /// stream never sits among the due jobs the Poller's claim scans in `next_poll_at` order
    /// (up to `--max-streams` 10,000 of them, skipped one by one on every claim otherwise).
    public func renewHeldBackgroundStreams(_ jobIDs: [Int64], worker: String, lease: Duration) async throws {
        guard !jobIDs.isEmpty else { return }
        let seconds = Double(lease.milliseconds) / 1000
        try await pool.query(
            """
            UPDATE jobs SET lease_expires_at = now() + make_interval(secs => \(seconds)),
                            next_poll_at = CASE WHEN next_poll_at < now() + make_interval(secs => \(seconds / 2))
                                                THEN now() + make_interval(secs => \(seconds)) ELSE next_poll_at END
            WHERE id = ANY(\(jobIDs)) AND \(unescaped: RowStateGuard.sql("", .running)) AND lease_owner = \(worker) AND cancel_requested_at IS NULL
            """)
    }
}
