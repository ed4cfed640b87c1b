import Foundation
import LonghaulCore
import Postgres

/// A tracked "everything matching" action as its page shows it (`dashboard_actions`, migration 0013).
struct BulkActionRecord: Sendable, Equatable {
    var publicID: String
    var action: JobAction
    /// The jobs page's query string it was confirmed for.
    var filters: String
    var total: Int
    var done: Int
    var skipped: Int
    var skippedSample: [SkippedJob]
    var error: String?
    var createdAt: Date
    var updatedAt: Date
    var finishedAt: Date?

    /// Unfinished and silent for a minute: the server that ran it stopped (a step of 20 jobs takes ~40 ms).
    func isInterrupted(now: Date) -> Bool { finishedAt == nil && now.timeIntervalSince(updatedAt) > 60 }
}

/// The rows of `dashboard_actions` as the action page reads them; `BulkActions` writes them.
struct BulkActionStore: Sendable {
    let pool: PostgresPool

    /// The action `publicID` as a session seeing `projectID` (nil: all) may see it.
    func get(_ publicID: String, projectID: Int64?) async throws -> BulkActionRecord {
        let rows = try await pool.query(
            """
            SELECT public_id, action, filters, total, done, skipped, skipped_sample, error, created_at, updated_at, finished_at
            FROM dashboard_actions
            WHERE public_id = \(publicID) AND (\(projectID)::bigint IS NULL OR project_id = \(projectID))
            """)
        guard let row = rows.first, let action = JobAction(rawValue: try row.decode("action")) else {
            throw DashboardError.notFound("Action \(publicID)")
        }
        return BulkActionRecord(
            publicID: try row.decode("public_id"), action: action, filters: try row.decode("filters"), total: try row.decode("total"),
            done: try row.decode("done"), skipped: try row.decode("skipped"),
            skippedSample: try row.decode("skipped_sample", as: PostgresJSON<[SkippedJob]>.self).value, error: try row.decode("error"),
            createdAt: try row.decode("created_at"), updatedAt: try row.decode("updated_at"), finishedAt: try row.decode("finished_at"))
    }
}
