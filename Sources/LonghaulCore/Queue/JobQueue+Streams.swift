import Foundation
import Postgres

/// The text a held stream has produced so far, to checkpoint on its job.
public struct StreamCheckpoint: Sendable, Equatable, Encodable {
    public var jobID: Int64
    public var attempt: Int
    public var text: String
    public var outputTokens: Int

    public init(jobID: Int64, attempt: Int, text: String, outputTokens: Int) {
        self.jobID = jobID
        self.attempt = attempt
        self.text = text
        self.outputTokens = outputTokens
    }

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id"
        case attempt, text
        case outputTokens = "output_tokens"
    }
}

/// A held stream that has begun (its answer's head is in), to show its job `running`.
public struct StreamStart: Sendable, Equatable, Encodable {
    public var jobID: Int64
    public var attempt: Int

    public init(jobID: Int64, attempt: Int) {
        self.jobID = jobID
        self.attempt = attempt
    }

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id"
        case attempt
    }
}

extension JobQueue {
    /// Writes the checkpoints of held streams in one statement, each only while this worker still
    /// holds the job's attempt, and returns which of `held` (the jobs this worker streams) a user
    /// has asked to cancel since. `started` are held-stream jobs whose stream has begun since the
    /// last round: they become `running` (`in_progress`), so a user sees the model at work.
    public func checkpointStreams(
        _ checkpoints: [StreamCheckpoint], held: [Int64], worker: String, started: [StreamStart] = []
    ) async throws -> Set<Int64> {
        if !started.isEmpty {
            try await pool.query(
                """
                UPDATE jobs j SET state = 'running', remote_status = 'in_progress', updated_at = now()
                FROM jsonb_to_recordset(\(recordset(started))) AS u(job_id bigint, attempt smallint)
                WHERE j.id = u.job_id AND \(unescaped: RowStateGuard.sql("j", .submitting)) AND j.held AND j.lease_owner = \(worker) AND j.attempt = u.attempt
                """)
        }
        if !checkpoints.isEmpty {
            try await pool.query(
                """
                UPDATE jobs j SET partial_text = u.text, partial_output_tokens = u.output_tokens, checkpointed_at = now()
                FROM jsonb_to_recordset(\(recordset(checkpoints))) AS u(job_id bigint, attempt smallint, text text, output_tokens integer)
                WHERE j.id = u.job_id AND \(unescaped: RowStateGuard.sql("j", .submitting, .running)) AND j.lease_owner = \(worker) AND j.attempt = u.attempt
                """)
        }
        guard !held.isEmpty else { return [] }
        let rows = try await pool.query(
            """
            SELECT id FROM jobs WHERE id = ANY(\(held)) AND cancel_requested_at IS NOT NULL
            """)
        return Set(try rows.map { try $0.decode("id", as: Int64.self) })
    }
}
