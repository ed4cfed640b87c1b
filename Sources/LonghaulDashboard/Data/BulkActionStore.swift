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

    /// Unfinished and silent for a minute: the server that ran it stopped (100 jobs take ~0.2 s).
    func isInterrupted(now: Date) -> Bool { finishedAt == nil && now.timeIntervalSince(updatedAt) > 60 }
}

/// A job a bulk action left as it was, and why.
struct SkippedJob: Sendable, Equatable, Codable {
    var id: String
    var reason: String
}

/// The rows of `dashboard_actions`: written when an action is confirmed, as it goes, and when it ends.
struct BulkActionStore: Sendable {
    let pool: PostgresPool
    /// Skipped jobs kept by name; the rest are counted.
    static let sampleLimit = 100

    /// Records a new action on `total` jobs for a session that sees `projectID`; returns its public id.
    func create(_ action: JobAction, filters: String, total: Int, projectID: Int64?) async throws -> String {
        let publicID = PublicID.make("act")
        try await pool.query(
            """
            INSERT INTO dashboard_actions (public_id, project_id, action, filters, total)
            VALUES (\(publicID), \(projectID), \(action.rawValue), \(filters), \(total))
            """)
        return publicID
    }

    /// Adds one step's outcome (and ends the action when `finished`).
    func record(_ publicID: String, step: BulkOutcome, finished: Bool, error: String? = nil) async throws {
        let sample = step.skipped.prefix(Self.sampleLimit).map { SkippedJob(id: $0.id, reason: $0.reason) }
        try await pool.query(
            """
            UPDATE dashboard_actions
            SET done = done + \(step.done), skipped = skipped + \(step.skipped.count),
                skipped_sample = CASE WHEN jsonb_array_length(skipped_sample) >= \(Self.sampleLimit) THEN skipped_sample
                                      ELSE skipped_sample || \(PostgresJSON(sample)) END,
                error = coalesce(\(error), error), updated_at = now(),
                finished_at = CASE WHEN \(finished) THEN now() END
            WHERE public_id = \(publicID)
            """)
    }

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
