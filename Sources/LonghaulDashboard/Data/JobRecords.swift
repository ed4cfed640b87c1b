import Foundation
import LonghaulCore
import Postgres

/// The reads the job page needs beyond `JobStore.job`: its attempts, its document and its final Response.
struct JobRecords: Sendable {
    let pool: PostgresPool

    /// The attempts of the job with internal id `jobID`, oldest first.
    func attempts(jobID: Int64) async throws -> [AttemptRow] {
        let rows = try await pool.query(
            """
            SELECT attempt, outcome, http_status, response_id, error_code, error_message, started_at
            FROM attempts WHERE job_id = \(jobID) ORDER BY attempt, id
            """)
        return try rows.map { row in
            AttemptRow(
                attempt: try row.decode("attempt"), outcome: try row.decode("outcome"), httpStatus: try row.decode("http_status"),
                responseID: try row.decode("response_id"), errorCode: try row.decode("error_code"),
                errorMessage: try row.decode("error_message"), startedAt: try row.decode("started_at"))
        }
    }

    /// The job's document text, cut at `limit` characters (the page says so), and its size.
    func document(jobID: Int64, limit: Int = 200_000) async throws -> (text: String, byteSize: Int)? {
        let rows = try await pool.query(
            """
            SELECT left(d.body, \(limit)::int) AS body, d.byte_size FROM jobs j JOIN documents d ON d.id = j.document_id WHERE j.id = \(jobID)
            """)
        guard let row = rows.first else { return nil }
        return (try row.decode("body"), try row.decode("byte_size"))
    }

    /// The final Response JSON Mantle returned, as stored with the result (nil before the end,
    /// or for a job that ended without one).
    func response(jobID: Int64) async throws -> String? {
        let rows = try await pool.query("SELECT response::text AS response FROM results WHERE job_id = \(jobID)")
        return try rows.first?.decode("response", as: String?.self)
    }
}
