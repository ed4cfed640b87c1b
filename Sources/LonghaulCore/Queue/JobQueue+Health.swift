import Foundation
import Postgres

/// A change of one project's endpoint, as the loops log and count it.
public struct EndpointHealthChange: Sendable, Equatable {
    public var projectID: Int64
    public var projectSlug: String
    public var change: EndpointHealth.Change
}

extension JobQueue {
    /// Applies what the calls of one write said about each project's endpoint (`EndpointHealth`),
    /// in the transaction that records the calls, and announces pauses and resumes by webhook.
    ///
    /// A project whose calls got any answer needs no read: the breaker row is deleted and
    /// Longhaul's own pause lifted in one statement (on the healthy path, one cheap statement
    /// per write). Only a project with failures is read, locked, decided and written.
    func recordHealth(
        _ observations: [Int64: EndpointHealth.Observation], on connection: PostgresConnection
    ) async throws -> [EndpointHealthChange] {
        guard !observations.isEmpty else { return [] }
        let healthy = observations.filter(\.value.isHealthy).keys.sorted()
        let troubled = observations.filter { !$0.value.isHealthy }.keys.sorted()
        var changes: [EndpointHealthChange] = []
        if !healthy.isEmpty {
            let reopened = try await markAnswered(healthy, on: connection)
            if !reopened.isEmpty {
                try await wakeWaitingJobs(of: Array(Set(reopened.map(\.projectID))), on: connection)
            }
            changes += reopened
        }
        for projectID in troubled {
            guard let observation = observations[projectID] else { continue }
            changes += try await record(observation, of: projectID, on: connection)
        }
        let announced = changes.filter {
            switch $0.change {
            case .paused, .resumed: true
            case .breakerOpened, .breakerClosed: false
            }
        }
        if !announced.isEmpty {
            try await finalizer.outbox.writeProjectEvents(projectIDs: announced.map(\.projectID), on: connection)
        }
        return changes
    }

    /// Records that `projectID`'s endpoint answered outside a job (a preflight's GET /v1/models):
    /// its breaker closes and Longhaul's own pause lifts at once, so a run started after an
    /// outage does not wait for the next probe.
    public func recordAnswer(projectID: Int64) async throws -> [EndpointHealthChange] {
        var observation = EndpointHealth.Observation()
        observation.add(.answered, isCreate: false)
        return try await pool.transaction { connection in try await recordHealth([projectID: observation], on: connection) }
    }

    /// Closes the breakers of `projectIDs` and lifts Longhaul's own pause of them.
    private func markAnswered(_ projectIDs: [Int64], on connection: PostgresConnection) async throws -> [EndpointHealthChange] {
        let rows = try await connection.query("""
            WITH closed AS (
                DELETE FROM endpoint_breakers WHERE project_id = ANY (\(projectIDs)) RETURNING project_id, opened_at
            ),
            resumed AS (
                UPDATE projects p
                SET paused_at = NULL, pause_kind = NULL, pause_code = NULL, pause_reason = NULL, next_probe_at = NULL, updated_at = now()
                FROM (SELECT id, paused_at FROM projects
                      WHERE id = ANY (\(projectIDs)) AND pause_kind = 'needs_attention' FOR UPDATE) old
                WHERE p.id = old.id
                RETURNING p.id, old.paused_at
            )
            SELECT 'closed' AS change, c.project_id, c.opened_at AS since, p.slug
            FROM closed c JOIN projects p ON p.id = c.project_id WHERE c.opened_at IS NOT NULL
            UNION ALL
            SELECT 'resumed', r.id, r.paused_at, p.slug FROM resumed r JOIN projects p ON p.id = r.id
            """)
        return try rows.map { row in
            let since: Date = try row.decode("since")
            let change: EndpointHealth.Change = try row.decode("change", as: String.self) == "closed"
                ? .breakerClosed(openedAt: since) : .resumed(pausedAt: since)
            return EndpointHealthChange(projectID: try row.decode("project_id"), projectSlug: try row.decode("slug"), change: change)
        }
    }

    /// Makes due at once what waited only for the endpoint: queued jobs backing off from failed
    /// creates (their waits grew with the outage, up to minutes) and looks that failed. Without
    /// this, work would trickle back over the length of the outage instead of resuming at once.
    private func wakeWaitingJobs(of projectIDs: [Int64], on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE jobs SET run_at = now(), updated_at = now()
            WHERE project_id = ANY (\(projectIDs)) AND state = 'queued' AND retrying_since IS NOT NULL AND run_at > now()
            """)
        try await connection.query("""
            UPDATE jobs SET next_poll_at = now(), updated_at = now()
            WHERE project_id = ANY (\(projectIDs)) AND state = 'running' AND poll_failures > 0 AND next_poll_at > now()
              AND lease_owner IS NULL
            """)
        try notifications.notify(QueueChannel.jobs, on: connection)
        try notifications.notify(QueueChannel.polls, on: connection)
    }

    /// Reads one troubled project's endpoint under lock, decides, and writes the result.
    private func record(
        _ observation: EndpointHealth.Observation, of projectID: Int64, on connection: PostgresConnection
    ) async throws -> [EndpointHealthChange] {
        let rows = try await connection.query("""
            SELECT p.slug, p.paused_at, p.pause_kind, p.pause_code, p.pause_reason, p.next_probe_at,
                   b.failures, b.opened_at, b.probe_interval_ms, b.next_probe_at AS breaker_probe_at, b.last_error
            FROM projects p
            LEFT JOIN endpoint_breakers b ON b.project_id = p.id AND b.api = 'responses'
            WHERE p.id = \(projectID)
            FOR UPDATE OF p
            """)
        guard let row = rows.first else { return [] }
        let slug: String = try row.decode("slug")
        let state = try EndpointHealth.State(row: row)
        let (next, changes) = EndpointHealth.after(observation, state, policy: healthPolicy, now: Date())
        if next.pause != state.pause {
            try await writePause(next.pause, of: projectID, on: connection)
        }
        if next.breaker != state.breaker {
            try await writeBreaker(next.breaker, of: projectID, on: connection)
        }
        return changes.map { EndpointHealthChange(projectID: projectID, projectSlug: slug, change: $0) }
    }

    private func writePause(_ pause: EndpointHealth.Pause?, of projectID: Int64, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE projects
            SET paused_at = \(pause?.since), pause_kind = \(pause?.kind.rawValue), pause_code = \(pause?.code),
                pause_reason = \(pause?.reason), next_probe_at = \(pause?.nextProbeAt), updated_at = now()
            WHERE id = \(projectID)
            """)
    }

    private func writeBreaker(_ breaker: EndpointHealth.Breaker?, of projectID: Int64, on connection: PostgresConnection) async throws {
        guard let breaker else {
            try await connection.query("DELETE FROM endpoint_breakers WHERE project_id = \(projectID) AND api = 'responses'")
            return
        }
        try await connection.query("""
            INSERT INTO endpoint_breakers (project_id, api, failures, opened_at, probe_interval_ms, next_probe_at, last_error)
            VALUES (\(projectID), 'responses', \(breaker.failures), \(breaker.openedAt), \(breaker.probeInterval?.milliseconds),
                    \(breaker.nextProbeAt), \(breaker.lastError))
            ON CONFLICT (project_id, api) DO UPDATE
            SET failures = excluded.failures, opened_at = excluded.opened_at, probe_interval_ms = excluded.probe_interval_ms,
                next_probe_at = excluded.next_probe_at, last_error = excluded.last_error, updated_at = now()
            """)
    }
}

extension EndpointHealth.State {
    init(row: PostgresRow) throws {
        var pause: EndpointHealth.Pause?
        if let since: Date = try row.decode("paused_at"), let kind = EndpointHealth.PauseKind(rawValue: try row.decode("pause_kind") ?? "") {
            pause = EndpointHealth.Pause(
                kind: kind, code: try row.decode("pause_code") ?? "", reason: try row.decode("pause_reason") ?? "", since: since,
                nextProbeAt: try row.decode("next_probe_at"))
        }
        var breaker: EndpointHealth.Breaker?
        if let failures: Int = try row.decode("failures") {
            let interval: Int64? = try row.decode("probe_interval_ms")
            breaker = EndpointHealth.Breaker(
                failures: failures, openedAt: try row.decode("opened_at"), probeInterval: interval.map { .milliseconds($0) },
                nextProbeAt: try row.decode("breaker_probe_at"), lastError: try row.decode("last_error"))
        }
        self.init(breaker: breaker, pause: pause)
    }
}
