import Foundation
import Hashing
import Mantle
import Postgres

/// The SQL of split jobs (map-reduce): waking a parent when a child ends, reading its children,
/// and creating the next level's. Each runs in the caller's transaction.
enum SplitJobs {
    /// Makes each parent's next step due (called by `JobFinalizer` when children end).
    static func wake(parentIDs: [Int64], on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE jobs SET children_due_at = now()
            WHERE id = ANY(\(Array(Set(parentIDs)))) AND state = 'waiting_for_children'
            """)
    }

    /// Makes the usage of each of `parentIDs` that has already ended the sum of its children's
    /// again: a split job cancelled while calls ran ends at once with the usage so far, and the
    /// calls that end later (a cancelled Response reports what it used) are added here, once —
    /// the sum is taken afresh, never added to. Called after the children's results are written
    /// and `wake` locked (or skipped) their parents: a cancel holds its job's row from its first
    /// statement, so either the cancel's own sum saw this child's result or this statement,
    /// waiting out the cancel, sees the job ended.
    static func resettle(parentIDs: [Int64], on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE results pr
            SET input_tokens = s.input_tokens, cached_tokens = s.cached_tokens, output_tokens = s.output_tokens,
                reasoning_tokens = s.reasoning_tokens, total_tokens = s.total_tokens
            FROM (
                SELECT c.parent_id, sum(r.input_tokens)::integer AS input_tokens, sum(r.cached_tokens)::integer AS cached_tokens,
                       sum(r.output_tokens)::integer AS output_tokens, sum(r.reasoning_tokens)::integer AS reasoning_tokens,
                       sum(r.total_tokens)::integer AS total_tokens
                FROM jobs c JOIN results r ON r.job_id = c.id
                WHERE c.parent_id = ANY(\(Array(Set(parentIDs))))
                GROUP BY c.parent_id
            ) s
            JOIN jobs p ON p.id = s.parent_id
            WHERE pr.job_id = s.parent_id AND p.finished_at IS NOT NULL
            """)
    }

    /// The children of `parentID`, with their results' text only for the last level (the only
    /// one a step reads, and the largest part of what it would otherwise load each time a child ends).
    static func children(of parentID: Int64, on connection: PostgresConnection) async throws -> [MapReduceChild] {
        let rows = try await connection.query("""
            WITH kids AS (SELECT c.*, (c.chunk->>'level')::int AS level FROM jobs c WHERE c.parent_id = \(parentID))
            SELECT k.state::text AS state, k.chunk::text AS chunk,
                   CASE WHEN k.level = (SELECT max(level) FROM kids) THEN r.output_text END AS output_text,
                   r.input_tokens, r.cached_tokens, r.output_tokens, r.reasoning_tokens, r.total_tokens, r.error_code, r.error_message
            FROM kids k LEFT JOIN results r ON r.job_id = k.id
            """)
        return try rows.map { row in
            let chunk: String = try row.decode("chunk")
            let placement = try JSONDecoder().decode(ChunkPlacement.self, from: Data(chunk.utf8))
            return MapReduceChild(
                placement: placement, state: JobState(rawValue: try row.decode("state")) ?? .failed, outputText: try row.decode("output_text"),
                usage: try Usage.decoded(from: row), errorCode: try row.decode("error_code"), errorMessage: try row.decode("error_message"))
        }
    }

    private struct ChildRow: Encodable, Sendable {
        var public_id: String
        var document_sha: String
        var instructions_sha: String
        var model: String
        var max_output_tokens: Int
        var estimated_input_tokens: Int
        var chunk: ChunkPlacement
        /// Runs as one held stream (`ModelRoute.isHeldStream`).
        var held: Bool
        /// The project's own entry's API for `model`, kept in `params.api`.
        var api: String?
    }

    private struct TextRow: Encodable, Sendable {
        var sha: String
        var body: String
        var media: String
    }

    /// Creates `specs` as queued children of `parentID`: same project, priority, attempts,
    /// metadata, reasoning effort and source path; no batch and no webhook of their own.
    static func spawn(_ specs: [MapReduceChildSpec], parentID: Int64, on connection: PostgresConnection) async throws {
        var texts: [String: TextRow] = [:]
        let rows = specs.map { spec in
            let documentSHA = SHA256.hash(data: Data(spec.document.utf8)).hexString
            let instructionsSHA = SHA256.hash(data: Data(spec.instructions.utf8)).hexString
            texts[documentSHA] = TextRow(sha: documentSHA, body: spec.document, media: "text/plain")
            texts[instructionsSHA] = TextRow(sha: instructionsSHA, body: spec.instructions, media: "text/x-instructions")
            return ChildRow(
                public_id: PublicID.make("job"), document_sha: documentSHA, instructions_sha: instructionsSHA, model: spec.model,
                max_output_tokens: spec.maxOutputTokens, estimated_input_tokens: spec.estimatedInputTokens, chunk: spec.placement,
                held: ModelRoute.isHeldStream(spec.model, entry: spec.api), api: spec.api?.rawValue)
        }
        try await connection.query("""
            INSERT INTO documents (sha256, body, byte_size, media_type)
            SELECT decode(u.sha, 'hex'), u.body, octet_length(u.body), u.media
            FROM jsonb_to_recordset(\(recordset(Array(texts.values)))) AS u(sha text, body text, media text)
            ON CONFLICT (sha256) DO NOTHING
            """)
        // A new statement: it sees texts another transaction inserted while ours waited on them.
        try await connection.query("""
            INSERT INTO jobs (public_id, project_id, document_id, instructions_id, priority, max_attempts, max_output_tokens,
                              estimated_input_tokens, model, params, metadata, source_path, parent_id, chunk, held, deadline, urgent,
                              trace_context)
            SELECT u.public_id, p.project_id, d.id, i.id, p.priority, p.max_attempts, u.max_output_tokens,
                   u.estimated_input_tokens, u.model,
                   -- One call each: a map or merge call refused for length fails, it is not split again.
                   jsonb_strip_nulls(jsonb_build_object('reasoning_effort', p.params->>'reasoning_effort',
                                                         'service_tier', p.params->>'service_tier', 'strategy', 'single',
                                                         'api', u.api)),
                   p.metadata, p.source_path, p.id, u.chunk, u.held,
                   -- the parent's deadline is each chunk's: one late chunk makes the summary late
                   p.deadline, coalesce(longhaul_urgent_at(p.deadline, u.max_output_tokens) <= now(), false), p.trace_context
            FROM jsonb_to_recordset(\(recordset(rows))) AS u(
                public_id text, document_sha text, instructions_sha text, model text, max_output_tokens integer,
                estimated_input_tokens integer, chunk jsonb, held boolean, api text)
            JOIN documents d ON d.sha256 = decode(u.document_sha, 'hex')
            JOIN documents i ON i.sha256 = decode(u.instructions_sha, 'hex')
            CROSS JOIN (SELECT * FROM jobs WHERE id = \(parentID)) p
            """)
    }

    /// The usage of every call a split job's children made so far.
    static func usage(of parentID: Int64, on connection: PostgresConnection) async throws -> Usage {
        let rows = try await connection.query("""
            SELECT coalesce(sum(r.input_tokens), 0)::bigint AS input_tokens, coalesce(sum(r.cached_tokens), 0)::bigint AS cached_tokens,
                   coalesce(sum(r.output_tokens), 0)::bigint AS output_tokens, coalesce(sum(r.reasoning_tokens), 0)::bigint AS reasoning_tokens,
                   coalesce(sum(r.total_tokens), 0)::bigint AS total_tokens
            FROM jobs c JOIN results r ON r.job_id = c.id WHERE c.parent_id = \(parentID)
            """)
        return try rows.first.flatMap(Usage.decoded(from:)) ?? Usage(inputTokens: 0, outputTokens: 0)
    }
}
