import Foundation
import Mantle
import Postgres

extension JobStore {
    /// Enqueues validated jobs for `project` in one transaction: documents stored once by content,
    /// jobs inserted in one statement, idempotency keys honoured (same key and request → the
    /// existing job; same key, different request → `StoreError.conflict`), and one NOTIFY.
    public func enqueue(_ jobs: [ValidatedJob], project: Project, batchID: Int64? = nil) async throws -> [EnqueuedJob] {
        guard project.isActive else {
            throw StoreError.conflict("project '\(project.slug)' is archived; it accepts no new jobs")
        }
        guard !jobs.isEmpty else { return [] }
        return try await Self.retryingPrunedDocument {
            try await pool.retryingSerializationFailures {
                try await pool.transaction { connection in
                    try await enqueue(jobs, project: project, batchID: batchID, on: connection)
                }
            }
        }
    }

    /// Runs `body` again once if it failed a foreign key: a stored text found by its hash was
    /// pruned (`JobQueue.prune`, its last job past retention) between the lookup and the job's
    /// insert. The second run finds it gone and stores it anew.
    static func retryingPrunedDocument<T: Sendable>(
        isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError where error.code == .foreignKeyViolation {
            return try await body()
        }
    }

    func enqueue(_ jobs: [ValidatedJob], project: Project, batchID: Int64?, on connection: PostgresConnection) async throws -> [EnqueuedJob]
    {
        let documentIDs = try await storeDocuments(jobs, on: connection)
        // One job refused (an idempotency key reused for another request) refuses them all: the
        // throw rolls the transaction back.
        let enqueued = try await insertJobs(jobs, project: project, batchID: batchID, documentIDs: documentIDs, on: connection)
            .jobs.map { try $0.get() }
        let created = enqueued.filter(\.created).count
        if let batchID, created > 0 {
            try await connection.query(
                """
                UPDATE batches SET total_jobs = total_jobs + \(created), pending_jobs = pending_jobs + \(created),
                                   finished_at = NULL
                WHERE id = \(batchID)
                """)
        }
        if created > 0 {
            try notifications.notify(QueueChannel.jobs, on: connection)
        }
        if enqueued.contains(where: { $0.created && $0.state == .waitingForChildren }) {
            try notifications.notify(QueueChannel.splits, on: connection)
        }
        return enqueued
    }

    /// A job a grouped enqueue wrote or found, with its detail when it was created.
    typealias GroupAnswer = (job: EnqueuedJob, detail: JobDetail?)

    /// Enqueues one job per request, all in one transaction (group commit, `EnqueueGroupCommit`),
    /// with one answer per request: a request refused (an archived project, a reused idempotency
    /// key) fails alone. Throws only what fails the transaction itself. A created job comes with
    /// its detail, read in the transaction; one found by its idempotency key without.
    func enqueueGroup(_ requests: [EnqueueRequest]) async throws -> [Result<GroupAnswer, any Error>] {
        try await Self.retryingPrunedDocument { try await enqueueGroupOnce(requests) }
    }

    private func enqueueGroupOnce(_ requests: [EnqueueRequest]) async throws -> [Result<GroupAnswer, any Error>] {
        try await pool.retryingSerializationFailures {
            try await pool.transaction { connection in
                var answers = [Result<EnqueuedJob, any Error>?](repeating: nil, count: requests.count)
                for (index, request) in requests.enumerated() where !request.project.isActive {
                    answers[index] = .failure(StoreError.conflict("project '\(request.project.slug)' is archived; it accepts no new jobs"))
                }
                let open = requests.indices.filter { answers[$0] == nil }
                let documentIDs = try await storeDocuments(open.map { requests[$0].job }, on: connection)
                var details: [Int64: JobDetail] = [:]
                // One INSERT per project (its id and max_attempts are per statement), in order.
                for projectIndices in Dictionary(grouping: open, by: { requests[$0].project.id }).values.sorted(by: { $0[0] < $1[0] }) {
                    let project = requests[projectIndices[0]].project
                    let inserted = try await insertJobs(
                        projectIndices.map { requests[$0].job }, project: project, batchID: nil, documentIDs: documentIDs,
                        readingBack: true, on: connection)
                    for (index, result) in zip(projectIndices, inserted.jobs) { answers[index] = result }
                    details.merge(inserted.details) { first, _ in first }
                }
                if answers.contains(where: { (try? $0?.get())?.created == true }) {
                    try notifications.notify(QueueChannel.jobs, on: connection)
                }
                if answers.contains(where: { (try? $0?.get()).map { $0.created && $0.state == .waitingForChildren } == true }) {
                    try notifications.notify(QueueChannel.splits, on: connection)
                }
                return answers.map { answer in
                    (answer ?? .failure(InternalInconsistency("a grouped enqueue got no answer"))).map { job in (job, details[job.id]) }
                }
            }
        }
    }

    private struct DocumentRow: Sendable {
        var sha: String
        var body: String
        var media: String
        var source: String?
    }

    /// Inserts each distinct text once and returns the id of every one by hex SHA-256.
    private func storeDocuments(_ jobs: [ValidatedJob], on connection: PostgresConnection) async throws -> [String: Int64] {
        var rows: [String: DocumentRow] = [:]
        for job in jobs {
            let documentSHA = job.documentSHA256.hexString
            if rows[documentSHA] == nil {
                rows[documentSHA] = DocumentRow(
                    sha: documentSHA, body: job.request.document, media: job.request.mediaType, source: job.request.sourcePath)
            }
            let instructionsSHA = job.instructionsSHA256.hexString
            if rows[instructionsSHA] == nil {
                rows[instructionsSHA] = DocumentRow(sha: instructionsSHA, body: job.instructions, media: "text/x-instructions", source: nil)
            }
        }
        // In hash order, so that concurrent transactions that share a text (other servers, a
        // batch) lock its key in the same order and never deadlock on each other.
        let input = rows.values.sorted { $0.sha < $1.sha }
        let result = try await connection.query(
            """
            WITH input AS (
                SELECT * FROM unnest(\(input.map(\.sha))::text[], \(input.map(\.body))::text[], \(input.map(\.media))::text[],
                                     \(input.map(\.source))::text[]) AS u(sha, body, media, source)
            ), inserted AS (
                INSERT INTO documents (sha256, body, byte_size, media_type, source_name)
                SELECT decode(sha, 'hex'), body, octet_length(body), media, source FROM input
                ON CONFLICT (sha256) DO NOTHING
                RETURNING id, sha256
            )
            SELECT encode(sha256, 'hex') AS sha, id FROM inserted
            UNION ALL
            -- Texts stored before: only those this statement did not insert are looked up (a text
            -- it inserted is not in its snapshot, but its index entry is, and each cost a heap visit).
            SELECT encode(d.sha256, 'hex'), d.id FROM documents d JOIN input u ON d.sha256 = decode(u.sha, 'hex')
            WHERE NOT EXISTS (SELECT FROM inserted i WHERE i.sha256 = decode(u.sha, 'hex'))
            """)
        var ids: [String: Int64] = [:]
        for row in result { ids[try row.decode("sha")] = try row.decode("id") }
        // A text another transaction inserted concurrently: our INSERT waited for it to commit and
        // skipped the row, but the statement's snapshot predates that commit, so neither half saw
        // it. A new statement (read committed: a new snapshot) does.
        let missing = input.map(\.sha).filter { ids[$0] == nil }
        if !missing.isEmpty {
            let late = try await connection.query(
                """
                SELECT encode(sha256, 'hex') AS sha, id FROM documents
                WHERE sha256 IN (SELECT decode(sha, 'hex') FROM unnest(\(missing)::text[]) AS u(sha))
                """)
            for row in late { ids[try row.decode("sha")] = try row.decode("id") }
        }
        return ids
    }

    private struct JobRow: Sendable {
        var public_id: String
        var document_id: Int64
        var instructions_id: Int64
        var priority: Int
        var max_output_tokens: Int
        var estimated_input_tokens: Int
        var run_at: String?
        var deadline: String?
        var model: String
        var idempotency_key: String?
        var request_sha: String
        var source_path: String?
        var webhook_url: String?
        /// JSON objects, as `jsonb` reads them.
        var params: String
        var metadata: String
        /// `waiting_for_children` for a job split for map-reduce; nil: `queued`.
        var state: String?
        /// Runs as one held stream (`ModelRoute.isHeldStream`): claimed by the held-stream loop.
        var held: Bool
        var trace_context: String?
    }

    private struct HeldStreamKey: Hashable {
        var model: String
        var api: GenerationAPI?
    }

    /// Inserts `jobs` in one statement and returns each one's outcome; with `readingBack`, also the
    /// details of those it created, read in the same round trip by the public ids it gave them (a
    /// job an idempotency key matched instead keeps its own id, and is not among them). The details
    /// are read on the transaction's own connection before its commit, not after it on another (a
    /// second lease and, in `jobs(ids:)`, a split-progress query: a job just created has no
    /// children). Reading them in the INSERT itself (`RETURNING *` under the detail columns) cost
    /// PostgreSQL more: 77–92 µs per job against 57 for two statements (`bench/api.sh`,
    /// pg_stat_statements).
    private func insertJobs(
        _ jobs: [ValidatedJob], project: Project, batchID: Int64?, documentIDs: [String: Int64], readingBack: Bool = false,
        on connection: PostgresConnection
    ) async throws -> (jobs: [Result<EnqueuedJob, any Error>], details: [Int64: JobDetail]) {
        var objects = JSONObjects()
        // Whether a model runs as a held stream, asked once per model: the routing table's answer
        // was 2 % of `longhaul batch`'s CPU asked per job.
        var heldStreams: [HeldStreamKey: Bool] = [:]
        func isHeldStream(_ job: ValidatedJob) -> Bool {
            let key = HeldStreamKey(model: job.model, api: job.api)
            if let held = heldStreams[key] { return held }
            let held = ModelRoute.isHeldStream(job.model, entry: job.api)
            heldStreams[key] = held
            return held
        }
        let rows = try jobs.map { job in
            JobRow(
                public_id: PublicID.make("job"),
                document_id: try documentIDs[job.documentSHA256.hexString].orThrow("document id"),
                instructions_id: try documentIDs[job.instructionsSHA256.hexString].orThrow("instructions id"),
                priority: job.request.priority, max_output_tokens: job.maxOutputTokens,
                estimated_input_tokens: job.estimatedInputTokens,
                run_at: job.request.runAt.map { Date.ISO8601FormatStyle(includingFractionalSeconds: true).format($0) },
                deadline: job.request.deadline.map { Date.ISO8601FormatStyle(includingFractionalSeconds: true).format($0) },
                model: job.model, idempotency_key: job.request.idempotencyKey, request_sha: job.requestSHA256.hexString,
                source_path: job.request.sourcePath, webhook_url: job.request.webhookURL,
                params: try objects.text(of: (job.request.reasoningEffort.map { ["reasoning_effort": $0.rawValue] } ?? [:])
                    .merging(job.request.serviceTier.map { ["service_tier": $0.rawValue] } ?? [:]) { first, _ in first }
                    .merging(job.mapReduce?.params ?? [:]) { first, _ in first }
                    // `single` is kept so that a refusal for length fails it; no entry means `auto`.
                    .merging(job.request.strategy == .single ? ["strategy": "single"] : [:]) { first, _ in first }
                    // Counted with the model's tokenizer: left out of the estimate's calibration.
                    .merging(job.inputCountedExactly ? ["input_count": "o200k_base"] : [:]) { first, _ in first }
                    // The project's own entry's API: workers route on it.
                    .merging(job.api.map { ["api": $0.rawValue] } ?? [:]) { first, _ in first }),
                metadata: try objects.text(of: job.request.metadata),
                state: job.mapReduce == nil ? nil : JobState.waitingForChildren.rawValue,
                held: isHeldStream(job), trace_context: job.traceContext)
        }
        // One array per column, read back with `unnest`: 500 rows took PostgreSQL at best 37 ms
        // through a `jsonb_to_recordset` (the JSON parsed, then each field looked up by key)
        // against 28 ms this way (psql, alternating, on a loaded 2-core machine), and building the
        // JSON with `JSONEncoder` was 15 % of `longhaul batch`'s own CPU.
        // What the listing searches (file name, metadata) also goes into `job_search`, once.
        let insert: PostgresQuery = """
            WITH inserted AS (
            INSERT INTO jobs (public_id, project_id, batch_id, document_id, instructions_id, priority, max_attempts,
                              max_output_tokens, estimated_input_tokens, run_at, model, idempotency_key, request_sha256,
                              source_path, webhook_url, params, metadata, state, children_due_at, held, deadline, urgent, trace_context)
            SELECT u.public_id, \(project.id), \(batchID), u.document_id, u.instructions_id, u.priority::smallint, \(project.maxAttempts),
                   u.max_output_tokens::integer, u.estimated_input_tokens::integer, coalesce(u.run_at, now()), u.model, u.idempotency_key,
                   decode(u.request_sha, 'hex'), u.source_path, u.webhook_url, u.params, u.metadata,
                   coalesce(u.state, 'queued')::job_state,
                   -- a split job's first step (cutting the document) is due when it may run
                   CASE WHEN u.state IS NOT NULL THEN coalesce(u.run_at, now()) END, u.held,
                   u.deadline, coalesce(longhaul_urgent_at(u.deadline, u.max_output_tokens::integer) <= now(), false), u.trace_context
            FROM unnest(
                \(rows.map(\.public_id))::text[], \(rows.map(\.document_id))::bigint[], \(rows.map(\.instructions_id))::bigint[],
                \(rows.map(\.priority))::bigint[], \(rows.map(\.max_output_tokens))::bigint[], \(rows.map(\.estimated_input_tokens))::bigint[],
                \(rows.map(\.run_at))::timestamptz[], \(rows.map(\.deadline))::timestamptz[], \(rows.map(\.model))::text[],
                \(rows.map(\.idempotency_key))::text[], \(rows.map(\.request_sha))::text[], \(rows.map(\.source_path))::text[],
                \(rows.map(\.webhook_url))::text[], \(rows.map(\.params))::jsonb[], \(rows.map(\.metadata))::jsonb[],
                \(rows.map(\.state))::text[], \(rows.map(\.held))::boolean[], \(rows.map(\.trace_context))::text[]
            ) AS u(public_id, document_id, instructions_id, priority, max_output_tokens, estimated_input_tokens, run_at, deadline, model,
                   idempotency_key, request_sha, source_path, webhook_url, params, metadata, state, held, trace_context)
            ON CONFLICT (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            RETURNING public_id, id, source_path, metadata
            ), searchable AS (
                INSERT INTO job_search (job_id, source_path, metadata)
                SELECT id, source_path, metadata FROM inserted WHERE source_path IS NOT NULL OR metadata <> '{}'
            )
            SELECT public_id, id FROM inserted
            """
        let inserted: PostgresRows
        var details: [Int64: JobDetail] = [:]
        if readingBack {
            let both = try await connection.query([
                insert,
                "SELECT \(unescaped: Self.detailColumns) \(unescaped: Self.detailJoins) WHERE j.id IN (SELECT job_id FROM job_keys WHERE public_id = ANY(\(rows.map(\.public_id))))",
            ])
            inserted = both[0]
            for row in both[1] {
                let detail = try Self.decodeDetail(row)
                details[detail.id] = detail
            }
        } else {
            inserted = try await connection.query(insert)
        }
        var created: [String: Int64] = [:]
        for row in inserted { created[try row.decode("public_id")] = try row.decode("id") }

        // Rows that were not inserted collided on an idempotency key: same request → that job.
        let collided = zip(rows, jobs).filter { created[$0.0.public_id] == nil }
        var existing: [String: (id: Int64, publicID: String, state: JobState, sha: String)] = [:]
        if !collided.isEmpty {
            let keys = collided.compactMap { $0.1.request.idempotencyKey }
            let found = try await connection.query(
                """
                SELECT id, public_id, state::text AS state, idempotency_key, encode(request_sha256, 'hex') AS sha
                FROM jobs WHERE project_id = \(project.id) AND idempotency_key = ANY(\(keys))
                """)
            for row in found {
                let state = JobState(rawValue: try row.decode("state")) ?? .queued
                existing[try row.decode("idempotency_key")] = (
                    try row.decode("id"), try row.decode("public_id"), state, try row.decode("sha")
                )
            }
        }
        let outcomes = zip(rows, jobs).map { row, job in
            Result {
                if let id = created[row.public_id] {
                    return EnqueuedJob(
                        id: id, publicID: row.public_id, created: true, state: job.mapReduce == nil ? .queued : .waitingForChildren)
                }
                guard let key = job.request.idempotencyKey, let match = existing[key] else {
                    throw InternalInconsistency("job \(row.public_id) was neither inserted nor found by idempotency key")
                }
                guard match.sha == row.request_sha else {
                    throw StoreError.conflict(
                        "the idempotency key '\(key)' was already used for a different request (job \(match.publicID)); use a new key for new work"
                    )
                }
                return EnqueuedJob(id: match.id, publicID: match.publicID, created: false, state: match.state)
            }
        }
        return (outcomes, details)
    }
}

/// JSON texts of string-to-string objects (a job's `params` and `metadata`), each distinct object
/// encoded once: the jobs of one enqueue mostly share them.
struct JSONObjects {
    private var texts: [[String: String]: String] = [:]

    mutating func text(of object: [String: String]) throws -> String {
        if let text = texts[object] { return text }
        let text = String(decoding: try JSONEncoder().encode(object), as: UTF8.self)
        texts[object] = text
        return text
    }
}
