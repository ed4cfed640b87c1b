import Postgres

extension JobQueue {
    private struct LostRow: Encodable, Sendable {
        var job_id: Int64
        var attempt: Int
        var error_code: String
        var error_message: String
    }

    /// Takes back submissions and held streams whose worker stopped renewing its lease (killed
    /// mid-create or mid-stream) and does
    /// what `JobLifecycle.afterLostSubmission` decides for each: back to the queue in the place it
    /// had, or `failed` when that was its last attempt. Lease expiry, not age, drives this: a
    /// worker that is alive keeps extending its leases, however long its calls take. The leased
    /// rows are found through `jobs_leased` (a few hundred at most) and sorted here: an index
    /// keyed on `lease_expires_at` made every renewal write an index entry (not a HOT update).
    public func rescueExpiredSubmissions(limit: Int = 1000) async throws -> MaintenanceReport {
        try await pool.retryingSerializationFailures {
            try await pool.transaction { connection in
                let expired = try await connection.query("""
                    SELECT id, attempt, max_attempts FROM jobs j
                    WHERE \(unescaped: FinalizationGuard.submittingOrHolding) AND lease_expires_at < now()
                    ORDER BY lease_expires_at LIMIT \(limit) FOR UPDATE SKIP LOCKED
                    """)
                var requeue: [LostRow] = [], endings: [Finalization] = []
                for row in expired {
                    let id: Int64 = try row.decode("id")
                    let attempt: Int = try row.decode("attempt")
                    switch JobLifecycle.afterLostSubmission(attempt: attempt, maxAttempts: try row.decode("max_attempts")) {
                    case .requeue(let error):
                        requeue.append(LostRow(job_id: id, attempt: attempt, error_code: error.code, error_message: error.message))
                    case .fail(let error):
                        endings.append(
                            Finalization(jobID: id, attempt: attempt, state: .failed, errorCode: error.code, errorMessage: error.message))
                    }
                }
                var report = MaintenanceReport()
                if !requeue.isEmpty {
                    let rows = try await connection.query(
                        """
                        WITH lost AS (
                            SELECT * FROM jsonb_to_recordset(\(recordset(requeue)))
                                AS u(job_id bigint, attempt smallint, error_code text, error_message text)
                        ), requeued AS (
                            -- run_at is left as it was: the job keeps its place in line instead of
                            -- queueing behind everything enqueued since (a whole batch, perhaps).
                            -- A create may have left a Response running unfollowed: it keeps a slot. A held
                            -- stream died with its worker's connection, and its generation with it.
                            UPDATE jobs j SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL, updated_at = now(),
                                              orphan_until = CASE WHEN j.held THEN j.orphan_until
                                                                  ELSE longhaul_orphan_until(j.max_output_tokens) END
                            FROM lost WHERE j.id = lost.job_id AND \(unescaped: FinalizationGuard.submittingOrHoldingRow) AND j.attempt = lost.attempt
                            RETURNING j.id, j.submitted_at, j.partial_output_tokens, j.held, j.estimated_input_tokens,
                                      j.checkpointed_at >= j.submitted_at AS checkpointed
                        )
                        -- A held stream's last checkpoint says what the lost attempt had generated; its
                        -- input was billed as the request went out, counted from the enqueue estimate.
                        INSERT INTO attempts (job_id, attempt, outcome, error_code, error_message, started_at, finished_at,
                                              input_tokens, input_tokens_estimated, output_tokens)
                        SELECT lost.job_id, lost.attempt, 'abandoned', lost.error_code, lost.error_message,
                               coalesce(requeued.submitted_at, now()), now(),
                               CASE WHEN requeued.held THEN requeued.estimated_input_tokens END, requeued.held,
                               CASE WHEN requeued.checkpointed THEN requeued.partial_output_tokens END
                        FROM requeued JOIN lost ON lost.job_id = requeued.id
                        """)
                    report.requeued = rows.affectedRows
                }
                report.failed = try await finalizer.finalize(endings, guard: .submittingWithExpiredLease, on: connection)
                if report.requeued > 0 { try notifications.notify(QueueChannel.jobs, on: connection) }
                return report
            }
        }
    }

    /// Deletes finished jobs (with their results and attempts) and finished deliveries older
    /// than `retention`, at most `limit` of each per call, so the hot tables stay small; with the
    /// jobs go the stored texts no other job uses. Kept, those grew by one row per job for good
    /// (`bench/soak.sh`: documents were the one table that grew while the others stayed flat).
    public func prune(retention: Duration, limit: Int = 10_000) async throws -> MaintenanceReport {
        let seconds = Double(retention.milliseconds) / 1000
        var report = MaintenanceReport()
        let deliveries = try await pool.query(
            """
            DELETE FROM deliveries WHERE id IN (
                SELECT id FROM deliveries WHERE finished_at < now() - make_interval(secs => \(seconds)) LIMIT \(limit)
                FOR UPDATE SKIP LOCKED)
            """)
        report.prunedDeliveries = deliveries.affectedRows
        (report.prunedJobs, report.prunedDocuments) = try await pool.retryingSerializationFailures {
            try await pool.transaction { connection in
                let gone = try await connection.query(
                    """
                    DELETE FROM jobs WHERE id IN (
                        -- A split job's children go with it (ON DELETE CASCADE), never before it.
                        -- SKIP LOCKED: another worker's Maintainer pruning at the same moment takes other rows.
                        SELECT id FROM jobs WHERE finished_at < now() - make_interval(secs => \(seconds)) AND parent_id IS NULL LIMIT \(limit)
                        FOR UPDATE SKIP LOCKED)
                    RETURNING document_id, instructions_id
                    """)
                var texts = Set<Int64>()
                for row in gone {
                    texts.insert(try row.decode("document_id"))
                    if let instructions: Int64 = try row.decode("instructions_id") { texts.insert(instructions) }
                }
                guard !texts.isEmpty else { return (gone.affectedRows, 0) }
                // SKIP LOCKED: a text an enqueue is taking up right now (its job's foreign key check
                // holds a share lock on the row) stays. An enqueue that looked the text up just
                // before this delete commits retries (`JobStore.enqueue`) and stores it anew.
                let documents = try await connection.query(
                    """
                    DELETE FROM documents WHERE id IN (
                        SELECT d.id FROM documents d WHERE d.id = ANY(\(Array(texts)))
                          AND NOT EXISTS (SELECT 1 FROM job_keys k WHERE k.document_id = d.id)
                          AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.instructions_id = d.id)
                        FOR UPDATE SKIP LOCKED)
                    """)
                return (gone.affectedRows, documents.affectedRows)
            }
        }
        return report
    }
}

extension JobQueue {
    /// The hot tables whose statistics steer the plans of enqueue, claim and finalize.
    static let analyzedTables = ["documents", "jobs", "job_keys", "results", "attempts", "batches", "deliveries", "delivery_attempts"]

    /// ANALYZEs the hot tables whose size moved a lot since PostgreSQL last counted them, and
    /// returns their names.
    ///
    /// Statements are prepared per connection, and PostgreSQL keeps a generic plan chosen while a
    /// table was nearly empty — a sequential scan — until the table is analyzed. On a young
    /// database taking a fast stream of jobs that made enqueue scan every stored document
    /// (`POST /v1/jobs` fell from ~1,150 to ~300 requests/s) until autovacuum came round, which
    /// can take minutes; the maintainer's pass gets there within seconds.
    ///
    /// The rule is the size, not the changes: live rows more than a fifth (and `minimumChanges`)
    /// away from the count the last ANALYZE or VACUUM took. A queue rewrites its rows all day
    /// without growing — each job is updated three or four times — and a rule of changes analyzed
    /// `jobs`, `results` and `deliveries` on nearly every pass while a queue drained: 5.7 % of
    /// PostgreSQL's CPU in `bench/pipeline.sh`, and on the API bench an ANALYZE every few seconds
    /// that held a core for about 100 ms. Autovacuum still analyzes a table whose rows changed
    /// (5 % of `jobs`, every minute at most), and the planner scales row counts by a table's
    /// pages between analyses.
    ///
    /// `jobs` is also analyzed when its statistics say almost no job is in flight and at least
    /// `inFlightSwing` are (a count that stops there). Between analyses a big table changes by
    /// up to a fifth, and a queue's states swing far sooner: with statistics taken while every job
    /// was queued, the Poller's claim read all 50,000 jobs in flight through `jobs_in_flight` and
    /// sorted them, 10–15 ms a claim that found none due, where `jobs_poll_due` reads the due ones
    /// only (psql, generic plans).
    public func analyzeGrowingTables(minimumChanges: Int = 5_000, inFlightSwing: Int = 1_000) async throws -> [String] {
        let rows = try await pool.query(
            """
            SELECT s.relname::text AS name FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
            WHERE s.schemaname = current_schema() AND s.relname::text = ANY(\(Self.analyzedTables))
              AND abs(s.n_live_tup - greatest(c.reltuples, 0)) > greatest(\(minimumChanges), 0.2 * greatest(c.reltuples, 0))
            UNION
            -- In flight by the statistics: the share of those states among the most common values
            -- (absent: none) times the rows counted. Only when that is under a tenth of the swing
            -- are the jobs in flight counted, and the count stops at the swing.
            SELECT 'jobs' WHERE CASE
                WHEN (SELECT coalesce(sum(m.frequency), 0) * greatest(max(c.reltuples), 0)
                      FROM pg_class c
                      LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = 'jobs' AND s.attname = 'state'
                      LEFT JOIN LATERAL unnest(s.most_common_vals::text::text[], s.most_common_freqs) AS m(value, frequency)
                             ON m.value IN ('submitting', 'running')
                      WHERE c.oid = 'jobs'::regclass) * 10 >= \(inFlightSwing) THEN false
                ELSE (SELECT count(*) FROM (SELECT 1 FROM jobs WHERE state IN ('submitting', 'running') LIMIT \(inFlightSwing)) f)
                     >= \(inFlightSwing)
            END
            """)
        var analyzed: [String] = []
        for row in rows {
            let name: String = try row.decode("name")
            // Only names from the fixed list reach the statement. SKIP_LOCKED: with several workers,
            // every Maintainer saw the same table grow and their ANALYZEs queued on its lock behind
            // one another and behind autovacuum (`bench/soak.sh`: 4 of them waiting seconds at a
            // time), holding up the rescue and the prune of the same pass; one is enough.
            guard Self.analyzedTables.contains(name) else { continue }
            try await pool.query(PostgresQuery(unsafeSQL: "ANALYZE (SKIP_LOCKED) \(name)"))
            analyzed.append(name)
        }
        return analyzed
    }
}

extension JobQueue {
    /// Counts of unfinished jobs by project and state, and the queue lag (cheap: only unfinished
    /// rows, which the partial indexes hold).
    public func queueStatistics() async throws -> [QueueStatistic] {
        // One arm per partial index that holds those states: asked for all four states at once, the
        // planner read the whole table (0.51 s with 1,000,000 jobs; 0.05 s this way).
        let rows = try await pool.query(
            """
            SELECT p.slug, s.state, s.n, coalesce(s.lag, 0)::float8 AS lag
            FROM (
                SELECT project_id, 'queued' AS state, count(*)::bigint AS n,
                       extract(epoch FROM now() - min(run_at) FILTER (WHERE run_at <= now())) AS lag
                FROM jobs WHERE state = 'queued' GROUP BY project_id
                UNION ALL
                SELECT project_id, state::text, count(*)::bigint, NULL FROM jobs
                WHERE state IN ('submitting', 'running') GROUP BY project_id, state
                UNION ALL
                SELECT project_id, 'waiting_for_children', count(*)::bigint, NULL FROM jobs
                WHERE state = 'waiting_for_children' GROUP BY project_id
            ) s JOIN projects p ON p.id = s.project_id
            """)
        return try rows.compactMap { row in
            guard let state = JobState(rawValue: try row.decode("state")) else { return nil }
            let lag: Double = state == .queued ? try row.decode("lag") : 0
            return QueueStatistic(project: try row.decode("slug"), state: state, count: try row.decode("n"), lagSeconds: lag)
        }
    }
}

extension JobQueue {
    /// Per model, the token estimate made at enqueue divided by the input tokens Mantle reported,
    /// over the one-call jobs that ended in the last `window` (split jobs are left out: their
    /// estimate is of the whole document, their usage of many calls; so are jobs counted with
    /// the model's tokenizer, which have nothing to calibrate), with the standard deviation of
    /// single calls' ratios. Below 1, the estimate undercounts. `models`: only these (nil: all).
    public func tokenEstimateRatios(
        window: Duration = .seconds(3600), models: [String]? = nil
    ) async throws -> [(model: String, ratio: Double, calls: Int, spread: Double?)] {
        try await Self.tokenEstimateRatios(window: window, models: models, query: pool.query)
    }

    static func tokenEstimateRatios(
        window: Duration, models: [String]?, query: (PostgresQuery) async throws -> PostgresRows
    ) async throws -> [(model: String, ratio: Double, calls: Int, spread: Double?)] {
        let rows = try await query("""
            SELECT j.model, (sum(j.estimated_input_tokens)::float8 / sum(r.input_tokens)) AS ratio, count(*)::bigint AS calls,
                   stddev_samp(j.estimated_input_tokens::float8 / r.input_tokens) AS spread
            FROM jobs j JOIN results r ON r.job_id = j.id
            WHERE j.finished_at > now() - make_interval(secs => \(Double(window.milliseconds) / 1000))
              AND r.input_tokens > 0 AND coalesce(j.params->>'strategy', 'single') = 'single' AND NOT (j.params ? 'input_count')
              AND (\(models == nil) OR j.model = ANY(\(models ?? [])))
            GROUP BY j.model
            """)
        return try rows.map { (try $0.decode("model"), try $0.decode("ratio"), try $0.decode("calls"), try $0.decode("spread")) }
    }

    /// How the estimates of `models` (nil: every model) are calibrated now (`EstimateCalibration.decide` over the
    /// last day's calls: a day holds enough calls of a model in use, and follows a change of
    /// the model behind an id within a day).
    static func estimateCalibrations(
        models: [String]?, query: (PostgresQuery) async throws -> PostgresRows
    ) async throws -> [String: EstimateCalibration] {
        var calibrations: [String: EstimateCalibration] = [:]
        for row in try await tokenEstimateRatios(window: .seconds(86_400), models: models, query: query) {
            calibrations[row.model] = EstimateCalibration.decide(ratio: row.ratio, calls: row.calls, spread: row.spread)
        }
        return calibrations
    }
}

extension JobQueue {
    private struct CalibrationRow: Encodable, Sendable {
        var model: String
        var factor: Double
        var margin: Double
        var samples: Int
    }

    /// Writes each model's calibration as `EstimateCalibration.decide` finds it now into
    /// `token_calibrations`, which the claim's tokens-per-minute budget reads; a model that no
    /// longer has enough history loses its row (factor 1). Returns the calibrations written.
    @discardableResult
    public func refreshTokenCalibrations() async throws -> [String: EstimateCalibration] {
        let calibrations = try await Self.estimateCalibrations(models: nil, query: pool.query).filter { $0.value.samples > 0 }
        let rows = calibrations.map { CalibrationRow(model: $0.key, factor: $0.value.factor, margin: $0.value.margin, samples: $0.value.samples) }
        try await pool.transaction { connection in
            try await connection.query("DELETE FROM token_calibrations WHERE NOT (model = ANY(\(rows.map(\.model))))")
            guard !rows.isEmpty else { return }
            try await connection.query("""
                INSERT INTO token_calibrations (model, factor, margin, samples)
                SELECT u.model, u.factor, u.margin, u.samples
                FROM jsonb_to_recordset(\(recordset(rows))) AS u(model text, factor float8, margin float8, samples integer)
                ON CONFLICT (model) DO UPDATE
                SET factor = excluded.factor, margin = excluded.margin, samples = excluded.samples, updated_at = now()
                """)
        }
        return calibrations
    }
}

extension JobQueue {
    /// One pass of the usage roll-up (`UsageStore.rollUp`), for the Maintainer.
    public func rollUpUsage() async throws -> UsageRollUpReport {
        try await UsageStore(pool: pool).rollUp()
    }
}

extension JobQueue {
    /// Finishes the dashboard's bulk actions whose server stopped midway (`BulkActions`), for
    /// the Maintainer: at most 1,000 jobs a pass (~2 s), the rest on the next.
    public func resumeBulkActions() async throws -> [String] {
        try await BulkActions(pool: pool, jobs: JobStore(pool: pool)).resumeAbandoned(maxJobs: 1000)
    }
}
