import Foundation
import Postgres

extension JobQueue {
    /// The newest completed Responses (at most `limit`, from the last `within`), newest first, for
    /// `ResponseDurationModel`. The duration is Mantle's own (`completed_at − created_at` in the
    /// stored Response), not `finished_at − submitted_at`: that one includes our detection delay,
    /// and learning from it would push every look later by that delay. One indexed read of at
    /// most `limit` rows (`jobs_finished`), a few milliseconds, every refresh of each worker.
    public func recentResponseDurations(limit: Int = 2000, within: Duration = .seconds(6 * 3600)) async throws -> [ResponseDurationSample] {
        let rows = try await pool.query(
            """
            SELECT j.project_id, j.model, j.estimated_input_tokens, j.max_output_tokens, r.output_tokens,
                   (r.response->>'completed_at')::float8 - (r.response->>'created_at')::float8 AS seconds
            FROM jobs j JOIN results r ON r.job_id = j.id
            WHERE j.finished_at > now() - make_interval(secs => \(Double(within.milliseconds) / 1000)) AND j.state = 'completed'
              AND r.output_tokens IS NOT NULL
              AND jsonb_typeof(r.response->'completed_at') = 'number' AND jsonb_typeof(r.response->'created_at') = 'number'
            ORDER BY j.finished_at DESC LIMIT \(limit)
            """)
        return try rows.map { row in
            ResponseDurationSample(
                key: ResponseDurationKey(projectID: try row.decode("project_id"), model: try row.decode("model")),
                estimatedInputTokens: try row.decode("estimated_input_tokens"), maxOutputTokens: try row.decode("max_output_tokens"),
                outputTokens: try row.decode("output_tokens"), seconds: try row.decode("seconds"))
        }
    }
}
