import Foundation
import Postgres

extension JobQueue {
    /// Takes the next step of up to `limit` split jobs whose children changed (or whose safety
    /// re-check is due), one transaction each: the parent's row is locked, its step decided by
    /// `MapReduceStep.next` from its children, and carried out — children created, or the parent
    /// ended through `JobFinalizer` with the last merge's text and the sum of every call's usage.
    /// Returns how many steps were taken.
    public func advanceSplitJobs(limit: Int = 16) async throws -> Int {
        var taken = 0
        while taken < limit {
            let took = try await pool.retryingSerializationFailures {
                try await pool.transaction { connection in try await advanceOneSplitJob(on: connection) }
            }
            guard took else { break }
            taken += 1
        }
        return taken
    }

    /// A waiting parent is looked at again after this even if no child wakes it (a lost wake-up
    /// costs at most this long).
    static let splitJobRecheck = 30

    private func advanceOneSplitJob(on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("""
            SELECT j.id, j.project_id, j.model, j.max_output_tokens, j.params, d.body AS document, coalesce(i.body, '') AS instructions
            FROM jobs j JOIN documents d ON d.id = j.document_id LEFT JOIN documents i ON i.id = j.instructions_id
            WHERE j.children_due_at <= now() AND j.state = 'waiting_for_children'
            ORDER BY j.children_due_at LIMIT 1
            FOR UPDATE OF j SKIP LOCKED
            """)
        guard let row = rows.first else { return false }
        let id: Int64 = try row.decode("id")
        let parent = MapReduceParent(
            model: try row.decode("model"), maxOutputTokens: try row.decode("max_output_tokens"), instructions: try row.decode("instructions"),
            document: try row.decode("document"),
            settings: MapReduceSettings(params: try row.decode("params", as: JSONStringObject.self).value))
        let children = try await SplitJobs.children(of: id, on: connection)
        var step = MapReduceStep.next(parent: parent, children: children)
        switch step {
        case .wait, .complete: break
        case .spawn, .fail:
            // Cut (or judged unmergeable) with the models' calibrated estimates and the project's own
            // windows; read only when a level is cut, not on every look.
            var calibrated = parent
            calibrated.calibrations = try await Self.estimateCalibrations(
                models: Array(Set([parent.model, parent.settings.mapModel ?? parent.model])), query: connection.query)
            calibrated.settings.limitOverrides = try await ModelLimitStore.overrides(
                projectID: try row.decode("project_id"), query: connection.query)
            step = MapReduceStep.next(parent: calibrated, children: children)
        }
        switch step {
        case .wait:
            try await recheckLater(id, on: connection)
        case .spawn(let specs):
            try await SplitJobs.spawn(specs, parentID: id, on: connection)
            try await recheckLater(id, on: connection)
            try notifications.notify(QueueChannel.jobs, on: connection)
        case .complete(let text, let usage):
            _ = try await finalizer.finalize(
                [Finalization(jobID: id, attempt: nil, state: .completed, outputText: text, usage: usage)],
                guard: .waitingForChildren, on: connection)
        case .fail(let code, let message, let usage):
            _ = try await finalizer.finalize(
                [Finalization(jobID: id, attempt: nil, state: .failed, usage: usage, errorCode: code, errorMessage: message)],
                guard: .waitingForChildren, on: connection)
        }
        return true
    }

    private func recheckLater(_ id: Int64, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE jobs SET children_due_at = now() + make_interval(secs => \(Self.splitJobRecheck)), updated_at = now() WHERE id = \(id)
            """)
    }
}
