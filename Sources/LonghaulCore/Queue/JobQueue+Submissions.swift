import Foundation
import JSONWriting
import Mantle
import Postgres

extension JobQueue {
    /// Claims up to `limit` due queued jobs, fairly across projects and within each project's
    /// `max_in_flight` and tokens-per-minute budget (`longhaul_claim_jobs` in the schema). One
    /// statement and one commit for the whole claim. `held` picks the jobs that run as one held
    /// stream (the held-stream loop) or the others (the create loop).
    public func claimJobs(worker: String, limit: Int, lease: Duration, held: Bool = false) async throws -> [ClaimedJob] {
        guard limit > 0 else { return [] }
        let rows = try await pool.query("""
            SELECT * FROM longhaul_claim_jobs(
                \(worker), \(limit)::integer, make_interval(secs => \(Double(lease.milliseconds) / 1000)), \(held))
            """)
        return try rows.map { row in
            let params = try row.decode("params", as: JSONStringObject.self).value
            var job = ClaimedJob(
                id: try row.decode("job_id"), publicID: try row.decode("public_id"), projectID: try row.decode("project_id"),
                attempt: try row.decode("attempt"), maxAttempts: try row.decode("max_attempts"), model: try row.decode("model"),
                maxOutputTokens: try row.decode("max_output_tokens"), estimatedInputTokens: try row.decode("estimated_input_tokens"),
                reasoningEffort: params["reasoning_effort"].flatMap(ReasoningEffort.init(rawValue:)),
                metadata: try row.decode("metadata", as: JSONStringObject.self).value,
                document: try row.decode("document"), instructions: try row.decode("instructions"),
                retryingSince: try row.decode("retrying_since"),
                retryWindow: .seconds(try row.decode("retry_window_seconds", as: Int.self)),
                serviceTier: params["service_tier"].flatMap(ServiceTier.init(rawValue:)),
                strategy: params["strategy"].flatMap(SummaryStrategy.init(rawValue:)) ?? .auto)
            job.api = params["api"].flatMap(GenerationAPI.init(rawValue:))
            return job
        }
    }

    /// Extends the submission leases this worker holds (its heartbeat while creates are in
    /// flight), or with `held` those of the streams it holds, `submitting` or `running`.
    public func extendSubmissionLeases(worker: String, lease: Duration, held: Bool = false) async throws {
        let seconds = Double(lease.milliseconds) / 1000
        if held {
            try await pool.query("""
                UPDATE jobs SET lease_expires_at = now() + make_interval(secs => \(seconds))
                WHERE state IN ('submitting', 'running') AND held AND lease_owner = \(worker)
                """)
        } else {
            try await pool.query("""
                UPDATE jobs SET lease_expires_at = now() + make_interval(secs => \(seconds))
                WHERE state = 'submitting' AND lease_owner = \(worker)
                """)
        }
    }

    struct AcceptedRow: JSONBytesWritable, Sendable {
        var job_id: Int64
        var attempt: Int
        var response_id: String
        var remote_status: String
        var delay_ms: Int64
        /// The job stays leased to this worker for this long: it holds the Response's stream, or
        /// keeps its first look in hand.
        var held_lease_ms: Int64?

        /// As the synthesised `encode(to:)`: members in order, nil ones left out.
        func write(to json: inout JSONBytes) {
            json.object { json in
                json.member("job_id", job_id)
                json.member("attempt", attempt)
                json.member("response_id", response_id)
                json.member("remote_status", remote_status)
                json.member("delay_ms", delay_ms)
                json.memberIfPresent("held_lease_ms", held_lease_ms)
            }
        }
    }

    private struct RetryRow: Encodable, Sendable {
        var job_id: Int64
        var attempt: Int
        var delay_ms: Int64
        /// Whether the attempt is spent; when not, the job's retry window starts (or goes on).
        var spent: Bool
        /// Keep the job's place in the queue (a held job), else due after `delay_ms`.
        var in_place: Bool
        /// The create may have made a Response that runs on unfollowed (its answer was lost), or
        /// a held stream was cut: Bedrock goes on generating, and billing, a stream whose
        /// connection dropped (litellm#34147, from AWS's Cost and Usage Reports). A create refused,
        /// or a stream that ended with an error, left nothing running.
        var orphan = false
    }

    private struct SplitRow: Encodable, Sendable {
        var job_id: Int64
        var attempt: Int
        /// `MapReduceSettings.params` of the split: strategy `auto` and the refusal's figures.
        var params: [String: String]
    }

    struct AttemptRow: JSONBytesWritable, Sendable {
        var job_id: Int64
        var attempt: Int
        var response_id: String?
        var http_status: Int?
        var outcome: String
        var error_code: String?
        var error_message: String?
        var started_ms: Int64
        /// What a held stream's attempt consumed (nil for a create).
        var input_tokens: Int?
        var cached_tokens: Int?
        var output_tokens: Int?
        /// `input_tokens` is the enqueue estimate: the stream was cut before it said its input.
        var input_tokens_estimated = false

        /// As the synthesised `encode(to:)`: members in order, nil ones left out.
        func write(to json: inout JSONBytes) {
            json.object { json in
                json.member("job_id", job_id)
                json.member("attempt", attempt)
                json.memberIfPresent("response_id", response_id)
                json.memberIfPresent("http_status", http_status)
                json.member("outcome", outcome)
                json.memberIfPresent("error_code", error_code)
                json.memberIfPresent("error_message", error_message)
                json.member("started_ms", started_ms)
                json.memberIfPresent("input_tokens", input_tokens)
                json.memberIfPresent("cached_tokens", cached_tokens)
                json.memberIfPresent("output_tokens", output_tokens)
                json.member("input_tokens_estimated", input_tokens_estimated)
            }
        }
    }

    /// Records the outcomes of a batch of create calls in one transaction: accepted jobs become
    /// `running` with their Response id, transient failures go back to the queue (spending the
    /// attempt only when a Response may exist), permanent ones end `failed` (result, webhook and
    /// batch counters written with them), and every attempt is logged. Outcomes for jobs this
    /// worker no longer holds are ignored. `health` is what the calls said of each project's
    /// endpoint (`recordHealth`). Returns how many outcomes applied and what changed of the endpoints.
    @discardableResult
    public func recordSubmissions(
        _ outcomes: [SubmissionOutcome], worker: String, health: [Int64: EndpointHealth.Observation] = [:]
    ) async throws -> RecordedOutcomes {
        guard !outcomes.isEmpty else { return RecordedOutcomes() }
        var accepted: [AcceptedRow] = [], retries: [RetryRow] = [], failures: [Finalization] = [], attempts: [AttemptRow] = []
        var splits: [SplitRow] = []
        for outcome in outcomes {
            switch outcome {
            case .accepted(let jobID, let attempt, let responseID, let remoteStatus, let firstPollIn, let startedAt, let heldLease):
                accepted.append(AcceptedRow(
                    job_id: jobID, attempt: attempt, response_id: responseID, remote_status: remoteStatus,
                    delay_ms: firstPollIn.milliseconds, held_lease_ms: heldLease?.milliseconds))
                attempts.append(AttemptRow(job_id: jobID, attempt: attempt, response_id: responseID, outcome: "submitted", started_ms: startedAt.millisecondsSince1970))
            case .retry(let jobID, let attempt, let retryIn, let error, let startedAt):
                retries.append(
                    RetryRow(job_id: jobID, attempt: attempt, delay_ms: retryIn.milliseconds, spent: true, in_place: false, orphan: true))
                attempts.append(
                    AttemptRow(
                        job_id: jobID, attempt: attempt, http_status: error.httpStatus, outcome: "retryable_error", error_code: error.code,
                        error_message: error.message, started_ms: startedAt.millisecondsSince1970))
            case .deferred(let jobID, let attempt, let retryIn, let error, let startedAt):
                retries.append(RetryRow(job_id: jobID, attempt: attempt, delay_ms: retryIn.milliseconds, spent: false, in_place: false))
                attempts.append(
                    AttemptRow(
                        job_id: jobID, attempt: attempt, http_status: error.httpStatus, outcome: "unavailable", error_code: error.code,
                        error_message: error.message, started_ms: startedAt.millisecondsSince1970))
            case .held(let jobID, let attempt, let error, let startedAt):
                retries.append(RetryRow(job_id: jobID, attempt: attempt, delay_ms: 0, spent: false, in_place: true))
                attempts.append(
                    AttemptRow(
                        job_id: jobID, attempt: attempt, http_status: error.httpStatus, outcome: "refused", error_code: error.code,
                        error_message: error.message, started_ms: startedAt.millisecondsSince1970))
            case .fail(let jobID, let attempt, let error, let startedAt):
                failures.append(
                    Finalization(jobID: jobID, attempt: attempt, state: .failed, errorCode: error.code, errorMessage: error.message))
                attempts.append(
                    AttemptRow(
                        job_id: jobID, attempt: attempt, http_status: error.httpStatus, outcome: "permanent_error", error_code: error.code,
                        error_message: error.message, started_ms: startedAt.millisecondsSince1970))
            case .finished(let jobID, let attempt, let result, let startedAt):
                failures.append(Finalization(
                    jobID: jobID, attempt: attempt, state: result.state, remoteStatus: result.remoteStatus, outputText: result.outputText,
                    usage: result.usage, incompleteReason: result.incompleteReason, errorCode: result.errorCode,
                    errorMessage: result.errorMessage, response: result.responseJSON))
                attempts.append(AttemptRow(
                    job_id: jobID, attempt: attempt, outcome: result.state.rawValue, error_code: result.errorCode, error_message: result.errorMessage,
                    started_ms: startedAt.millisecondsSince1970, input_tokens: result.usage?.inputTokens,
                    cached_tokens: result.usage?.cachedTokens, output_tokens: result.usage?.outputTokens))
            case .split(let jobID, let attempt, let refusal, let error, let startedAt):
                splits.append(SplitRow(job_id: jobID, attempt: attempt, params: MapReduceSettings(strategy: .auto, refusal: refusal).params))
                attempts.append(AttemptRow(
                    job_id: jobID, attempt: attempt, http_status: error.httpStatus, outcome: "split", error_code: error.code,
                    error_message: error.message, started_ms: startedAt.millisecondsSince1970))
            case .interrupted(let jobID, let attempt, let retryIn, let error, let usage, let inputEstimated, let startedAt):
                if let retryIn {
                    retries.append(
                        RetryRow(
                            job_id: jobID, attempt: attempt, delay_ms: retryIn.milliseconds, spent: true, in_place: false,
                            orphan: error.code == AttemptError.streamCut))
                } else {
                    failures.append(
                        Finalization(
                            jobID: jobID, attempt: attempt, state: .failed, usage: usage, errorCode: error.code, errorMessage: error.message
                        ))
                }
                attempts.append(AttemptRow(
                    job_id: jobID, attempt: attempt, http_status: error.httpStatus, outcome: "interrupted", error_code: error.code,
                    error_message: error.message, started_ms: startedAt.millisecondsSince1970, input_tokens: usage.inputTokens,
                    cached_tokens: usage.cachedTokens, output_tokens: usage.outputTokens, input_tokens_estimated: inputEstimated))
            }
        }
        return try await pool.retryingSerializationFailures {
            try await pool.transaction { connection in
                var applied = 0
                var written: [Int64: Bool] = [:]
                if !accepted.isEmpty {
                    let rows = try await connection.query(
                        """
                        UPDATE jobs j
                        -- A Response is polled, not held, whatever the job was enqueued as (`held` follows the route).
                        SET state = 'running', held = false, response_id = u.response_id, remote_status = u.remote_status, retrying_since = NULL,
                            next_poll_at = CASE WHEN j.cancel_requested_at IS NOT NULL THEN now()
                                                ELSE now() + u.delay_ms * interval '1 millisecond' END,
                            poll_count = 0, updated_at = now(),
                            -- A held stream, or a first look kept in hand, keeps the job leased to this
                            -- worker, as a poll claim would.
                            lease_owner = CASE WHEN u.held_lease_ms IS NULL THEN NULL ELSE \(worker) END,
                            lease_expires_at = now() + u.held_lease_ms * interval '1 millisecond'
                        FROM jsonb_to_recordset(\(recordset(accepted)))
                             AS u(job_id bigint, attempt smallint, response_id text, remote_status text, delay_ms bigint, held_lease_ms bigint)
                        WHERE j.id = u.job_id AND \(unescaped: RowStateGuard.sql("j", .submitting)) AND j.lease_owner = \(worker) AND j.attempt = u.attempt
                        RETURNING j.id, j.cancel_requested_at IS NOT NULL AS cancel_requested
                        """)
                    applied += rows.count
                    for row in rows { written[try row.decode("id")] = try row.decode("cancel_requested") }
                }
                if !retries.isEmpty {
                    // An attempt not spent is given back (the next claim counts it again), and the
                    // retry window starts at the first such failure; an accepted create ends it.
                    let rows = try await connection.query(
                        """
                        UPDATE jobs j
                        SET state = 'queued',
                            -- A held job keeps its place, but never comes due within a second: if an answer
                            -- for another job lifted the pause meanwhile, it must not loop on a refusal.
                            run_at = CASE WHEN u.in_place THEN greatest(j.run_at, now() + interval '1 second')
                                          ELSE now() + u.delay_ms * interval '1 millisecond' END,
                            attempt = CASE WHEN u.spent THEN j.attempt ELSE j.attempt - 1 END,
                            orphan_until = CASE WHEN u.orphan THEN longhaul_orphan_until(j.max_output_tokens) ELSE j.orphan_until END,
                            retrying_since = CASE WHEN u.spent OR u.in_place THEN j.retrying_since ELSE coalesce(j.retrying_since, j.submitted_at) END,
                            lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
                        FROM jsonb_to_recordset(\(recordset(retries))) AS u(job_id bigint, attempt smallint, delay_ms bigint, spent boolean, in_place boolean, orphan boolean)
                        WHERE j.id = u.job_id AND \(unescaped: FinalizationGuard.submittingOrHoldingRow) AND j.lease_owner = \(worker) AND j.attempt = u.attempt
                        """)
                    applied += rows.affectedRows
                }
                var failures = failures
                if !splits.isEmpty {
                    // Split where the refusal was: the Coordinator cuts the document next, with the
                    // window and count Mantle stated and the estimate the job was sent with. A job
                    // whose cancel was asked for meanwhile ends cancelled instead.
                    let rows = try await connection.query("""
                        UPDATE jobs j
                        SET state = 'waiting_for_children', children_due_at = now(),
                            params = j.params || u.params || jsonb_build_object('refused_estimate', j.estimated_input_tokens::text),
                            -- Never submitted after all: its calls are its children's, counted by the
                            -- tokens-per-minute budget and the spending caps as they are made.
                            submitted_at = NULL, reserved_tokens = NULL, reserved_cost = NULL,
                            retrying_since = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
                        FROM jsonb_to_recordset(\(recordset(splits))) AS u(job_id bigint, attempt smallint, params jsonb)
                        WHERE j.id = u.job_id AND \(unescaped: RowStateGuard.sql("j", .submitting)) AND j.lease_owner = \(worker) AND j.attempt = u.attempt
                          AND j.cancel_requested_at IS NULL
                        RETURNING j.id
                        """)
                    applied += rows.affectedRows
                    let split = Set(try rows.map { try $0.decode("id", as: Int64.self) })
                    if !split.isEmpty { try notifications.notify(QueueChannel.splits, on: connection) }
                    failures += splits.filter { !split.contains($0.job_id) }.map {
                        Finalization(jobID: $0.job_id, attempt: $0.attempt, state: .cancelled)
                    }
                }
                if !failures.isEmpty {
                    applied += try await finalizer.finalize(failures, guard: .submittingLeasedBy(worker), on: connection)
                }
                try await insertAttempts(attempts, worker: worker, on: connection)
                let changes = try await recordHealth(health, on: connection)
                return RecordedOutcomes(applied: applied, endpointChanges: changes, accepted: written)
            }
        }
    }

    func insertAttempts(_ attempts: [AttemptRow], worker: String, on connection: PostgresConnection) async throws {
        guard !attempts.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO attempts (job_id, attempt, worker, response_id, http_status, outcome, error_code, error_message, started_at, finished_at,
                                  input_tokens, cached_tokens, output_tokens, input_tokens_estimated)
            SELECT u.job_id, u.attempt, \(worker), u.response_id, u.http_status, u.outcome, u.error_code, u.error_message,
                   to_timestamp(u.started_ms / 1000.0), CASE WHEN u.outcome = 'submitted' THEN NULL ELSE now() END,
                   u.input_tokens, u.cached_tokens, u.output_tokens, u.input_tokens_estimated
            FROM jsonb_to_recordset(\(recordset(attempts))) AS u(job_id bigint, attempt smallint, response_id text, http_status smallint,
                                                                 outcome text, error_code text, error_message text, started_ms bigint,
                                                                 input_tokens integer, cached_tokens integer, output_tokens integer,
                                                                 input_tokens_estimated boolean)
            WHERE EXISTS (SELECT 1 FROM jobs WHERE jobs.id = u.job_id)
            """)
    }
}

extension Date {
    var millisecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
}
