import Foundation
import Postgres

/// A batch as its list shows it: its counters, kept by the transactions that end its jobs.
struct BatchListRow: Sendable, Equatable {
    var publicID: String
    var project: String
    var name: String
    var total: Int
    var pending: Int
    var createdAt: Date
    var finishedAt: Date?
}

extension BatchListRow {
    /// The newest batches visible to `projectID` (nil: all), by `batches_project` or the primary key.
    static func newest(pool: PostgresPool, projectID: Int64?, limit: Int) async throws -> [BatchListRow] {
        let rows = try await pool.query(
            """
            SELECT b.public_id, p.slug, b.name, b.total_jobs, b.pending_jobs, b.created_at, b.finished_at
            FROM batches b JOIN projects p ON p.id = b.project_id
            WHERE (\(projectID)::bigint IS NULL OR b.project_id = \(projectID))
            ORDER BY b.id DESC LIMIT \(limit)
            """)
        return try rows.map { row in
            BatchListRow(
                publicID: try row.decode("public_id"), project: try row.decode("slug"), name: try row.decode("name"),
                total: try row.decode("total_jobs"), pending: try row.decode("pending_jobs"), createdAt: try row.decode("created_at"),
                finishedAt: try row.decode("finished_at"))
        }
    }
}
