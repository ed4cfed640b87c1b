public import Postgres

/// The dashboard's tracked "cancel (or retry) everything matching" (`dashboard_actions`,
/// migrations 0013 and 0019): the jobs chosen when it was confirmed, acted on a step at a time,
/// each step in one transaction with the action's progress, so that every job is acted on
/// exactly once — by the server that started it, or, when that one stopped, by whichever
/// Maintainer takes it over once its lease has run out.
public struct BulkActions: Sendable {
    public enum Action: String, Sendable {
        case cancel, retry
    }

    let pool: PostgresPool
    let jobs: JobStore
    /// Skipped jobs kept by name; the rest are counted.
    public static let sampleLimit = 100
    /// A runner renews its lease with every step (20 jobs, ~40 ms); one silent this long stopped.
    public static let lease: Duration = .seconds(60)
    /// Jobs per step: one transaction, so small enough not to hold many job rows at once.
    public static let step = 20
    /// Failed steps that end an action.
    static let maxFailures = 3

    public init(pool: PostgresPool, jobs: JobStore) {
        self.pool = pool
        self.jobs = jobs
    }

    /// Records a new action on `jobIDs` (public ids) for a caller that sees `projectID` (nil:
    /// all), leased to the caller, who goes on with `run`; returns its public id.
    public func create(_ action: Action, filters: String, jobIDs: [String], projectID: Int64?) async throws -> String {
        let publicID = PublicID.make("act")
        try await pool.query(
            """
            INSERT INTO dashboard_actions (public_id, project_id, action, filters, total, job_ids, lease_expires_at)
            VALUES (\(publicID), \(projectID), \(action.rawValue), \(filters), \(jobIDs.count), \(jobIDs),
                    now() + make_interval(secs => \(Self.leaseSeconds)))
            """)
        return publicID
    }

    /// Acts on the action's remaining jobs, a step at a time, until it is finished or `maxJobs`
    /// have been acted on; true when it is finished. A step that fails leaves the action to the
    /// Maintainer's next pass (the database may have gone away for a moment); the third failure
    /// ends it, saying so.
    @discardableResult
    public func run(_ publicID: String, maxJobs: Int = .max) async throws -> Bool {
        var acted = 0
        while acted < maxJobs {
            do {
                guard let stepped = try await step(publicID, limit: min(Self.step, maxJobs - acted)) else { return true }
                acted += stepped
            } catch {
                let message = "stopped early: a step failed \(Self.maxFailures) times (the server log says why)"
                _ = try? await pool.query("""
                    UPDATE dashboard_actions SET failures = failures + 1, updated_at = now(), lease_expires_at = now(),
                        finished_at = CASE WHEN failures + 1 >= \(Self.maxFailures) THEN now() END,
                        error = CASE WHEN failures + 1 >= \(Self.maxFailures) THEN \(message)::text END
                    WHERE public_id = \(publicID) AND finished_at IS NULL
                    """)
                throw error
            }
        }
        return false
    }

    /// Takes over actions whose runner stopped renewing its lease, and runs them, at most
    /// `maxJobs` jobs in all (the rest on the next call); returns the ids it ran.
    public func resumeAbandoned(maxJobs: Int = 1000) async throws -> [String] {
        let rows = try await pool.query(
            """
            UPDATE dashboard_actions SET lease_expires_at = now() + make_interval(secs => \(Self.leaseSeconds))
            WHERE id IN (SELECT id FROM dashboard_actions
                         WHERE finished_at IS NULL AND lease_expires_at < now() ORDER BY lease_expires_at LIMIT 10
                         FOR UPDATE SKIP LOCKED)
            RETURNING public_id
            """)
        var resumed: [String] = [], budget = maxJobs
        for row in rows where budget > 0 {
            let publicID: String = try row.decode("public_id")
            let before = try await progress(publicID)
            // A failed step is counted on the action's row; the others still get their turn.
            _ = try? await run(publicID, maxJobs: budget)
            budget -= try await progress(publicID) - before
            resumed.append(publicID)
        }
        return resumed
    }

    private static var leaseSeconds: Double { Double(lease.components.seconds) }

    private func progress(_ publicID: String) async throws -> Int {
        try await pool.query("SELECT acted FROM dashboard_actions WHERE public_id = \(publicID)").first?.decode("acted", as: Int.self) ?? 0
    }

    /// One step: the next `limit` jobs acted on and the progress moved past them, in one
    /// transaction under the action's row lock. Nil when the action had finished already.
    private func step(_ publicID: String, limit: Int) async throws -> Int? {
        try await pool.retryingSerializationFailures {
            try await pool.transaction { connection in
                let rows = try await connection.query("""
                    SELECT action, project_id, acted, cardinality(job_ids) AS total, job_ids[acted + 1 : acted + \(limit)] AS next
                    FROM dashboard_actions WHERE public_id = \(publicID) AND finished_at IS NULL FOR UPDATE
                    """)
                guard let row = rows.first, let action = Action(rawValue: try row.decode("action")) else { return nil }
                let projectID: Int64? = try row.decode("project_id")
                let next: [String] = try row.decode("next")
                var done = 0
                var skipped: [SkippedJob] = []
                for id in next {
                    do {
                        try await perform(action, on: id, projectID: projectID, connection)
                        done += 1
                    } catch let error as StoreError {
                        skipped.append(SkippedJob(id: id, reason: error.description))
                    }
                }
                let finished = try next.isEmpty || row.decode("acted", as: Int.self) + next.count >= row.decode("total", as: Int.self)
                try await connection.query(
                    """
                    UPDATE dashboard_actions
                    SET acted = acted + \(next.count), done = done + \(done), skipped = skipped + \(skipped.count),
                        skipped_sample = CASE WHEN jsonb_array_length(skipped_sample) >= \(Self.sampleLimit) THEN skipped_sample
                                              ELSE skipped_sample || \(PostgresJSON(Array(skipped.prefix(Self.sampleLimit)))) END,
                        updated_at = now(), lease_expires_at = now() + make_interval(secs => \(Self.leaseSeconds)),
                        finished_at = CASE WHEN \(finished) THEN now() END
                    WHERE public_id = \(publicID)
                    """)
                return next.count
            }
        }
    }

    /// One job; a refusal (not found, wrong state) is a StoreError, and leaves the transaction usable.
    private func perform(_ action: Action, on id: String, projectID: Int64?, _ connection: PostgresConnection) async throws {
        switch action {
        case .cancel:
            if case .alreadyFinished(let state) = try await jobs.cancel(publicID: id, projectID: projectID, on: connection) {
                throw StoreError.conflict("it already ended (\(state.rawValue))")
            }
        case .retry: try await jobs.retry(publicID: id, projectID: projectID, on: connection)
        }
    }
}

/// A job a bulk action left as it was, and why.
public struct SkippedJob: Sendable, Equatable, Codable {
    public var id: String
    public var reason: String

    public init(id: String, reason: String) {
        self.id = id
        self.reason = reason
    }
}
