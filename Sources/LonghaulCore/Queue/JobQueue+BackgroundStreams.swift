import Foundation
import Postgres

extension JobQueue {
    /// Renews the leases of the running jobs whose Response streams this worker holds: a held
    /// stream needs no poll, and the Poller's claim skips a job under a live lease. A worker that
    /// dies stops renewing, so its jobs come due for polling within one lease. A job a user asked
    /// to cancel is not renewed: its lease runs out and a Poller sends the cancel. Only the lease
    /// is written (no indexed column), so each renewal is a HOT update.
    public func renewHeldBackgroundStreams(_ jobIDs: [Int64], worker: String, lease: Duration) async throws {
        guard !jobIDs.isEmpty else { return }
        let seconds = Double(lease.milliseconds) / 1000
        try await pool.query(
            """
            UPDATE jobs SET lease_expires_at = now() + make_interval(secs => \(seconds))
            WHERE id = ANY(\(jobIDs)) AND state = 'running' AND lease_owner = \(worker) AND cancel_requested_at IS NULL
            """)
    }
}
