import Foundation
import LonghaulCore
import Postgres
import TestSupport

extension StoreFixture {
    /// Ends job `id` in `state` at `finishedAt` with `usage`, as the Poller's write would leave
    /// it (a result row with the usage); for reports that look only at finished jobs.
    /// `servedTier`: the `service_tier` of the stored Response, as Mantle reports it.
    func finish(_ id: Int64, _ state: JobState, at finishedAt: Date = Date(), usage: Usage?, servedTier: String? = nil) async throws {
        try await pool.query("""
            UPDATE jobs SET state = \(state.rawValue)::job_state, finished_at = \(finishedAt), submitted_at = \(finishedAt),
                            response_id = 'resp_' || id
            WHERE id = \(id)
            """)
        try await pool.query("""
            INSERT INTO results (job_id, output_text, input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens, response)
            VALUES (\(id), 'Summary.', \(usage?.inputTokens), \(usage?.cachedTokens), \(usage?.outputTokens), \(usage?.reasoningTokens),
                    \(usage?.totalTokens), jsonb_strip_nulls(jsonb_build_object('service_tier', \(servedTier)::text)))
            """)
    }

    /// Enqueues one job per request into `project`.
    func enqueue(_ requests: [JobRequest], into project: Project, batchID: Int64? = nil) async throws -> [EnqueuedJob] {
        try await store.enqueue(requests.map(validated), project: project, batchID: batchID)
    }
}

/// A fixed instant, `YYYY-MM-DDTHH:MM:SSZ`.
func instant(_ text: String) throws -> Date {
    try Date(text, strategy: .iso8601)
}
