import Foundation
import Postgres

/// Which of a batch's unfinished work to run again.
public struct BatchRetry: Sendable, Equatable {
    /// Failed, incomplete, or both (the default).
    public var states: Set<JobState>
    /// Only jobs that ended with this error code (or incomplete reason, e.g. `max_output_tokens`).
    public var errorCode: String?
    /// A new `max_output_tokens` for the incomplete ones: the usual fix for `max_output_tokens`.
    public var maxOutputTokens: Int?

    public init(states: Set<JobState> = [.failed, .incomplete], errorCode: String? = nil, maxOutputTokens: Int? = nil) {
        self.states = states
        self.errorCode = errorCode
        self.maxOutputTokens = maxOutputTokens
    }
}

/// What a batch-wide cancel did.
public struct BatchCancellation: Sendable, Equatable {
    /// Jobs that were still queued (or split and waiting): cancelled now.
    public var cancelled = 0
    /// Jobs with Mantle: a cancel call is on its way.
    public var cancelRequested = 0
}

extension BatchStore {
    /// Queues again the batch's jobs that ended as `retry` selects; completed work is never
    /// redone (a split job runs only its chunks that did not complete). Returns how many.
    public func retry(batchPublicID: String, projectID: Int64?, _ retry: BatchRetry) async throws -> Int {
        guard retry.states.isSubset(of: [.failed, .incomplete]), !retry.states.isEmpty else {
            throw StoreError.invalid(field: "states", message: "only failed and incomplete jobs can be retried")
        }
        if let tokens = retry.maxOutputTokens, !(16...128_000).contains(tokens) {
            throw StoreError.invalid(field: "max_output_tokens", message: "max_output_tokens is \(tokens); it must be between 16 and 128000")
        }
        let batch = try await batch(publicID: batchPublicID, projectID: projectID)
        let rows = try await pool.query("""
            SELECT j.id, j.public_id, j.state::text AS state FROM jobs j \(unescaped: JobStore.resultByKey)
            WHERE j.batch_id = \(batch.id) AND j.parent_id IS NULL AND j.state::text = ANY (\(retry.states.map(\.rawValue)))
              AND (\(retry.errorCode)::text IS NULL OR r.error_code = \(retry.errorCode) OR r.incomplete_reason = \(retry.errorCode))
            ORDER BY j.id
            """)
        for row in rows {
            let publicID: String = try row.decode("public_id")
            if let tokens = retry.maxOutputTokens, try row.decode("state", as: String.self) == JobState.incomplete.rawValue {
                try await pool.query("UPDATE jobs SET max_output_tokens = \(tokens) WHERE id = \(try row.decode("id", as: Int64.self))")
            }
            // One job at a time through the one retry there is: a split job's children, the
            // batch's counters and the wake-up stay as a single retry leaves them.
            try await jobs.retry(publicID: publicID, projectID: projectID)
        }
        return rows.count
    }

    /// Cancels every unfinished job of the batch.
    public func cancel(batchPublicID: String, projectID: Int64?) async throws -> BatchCancellation {
        let batch = try await batch(publicID: batchPublicID, projectID: projectID)
        let rows = try await pool.query("""
            SELECT public_id FROM jobs
            WHERE batch_id = \(batch.id) AND parent_id IS NULL
              AND state IN ('queued', 'submitting', 'running', 'waiting_for_children')
            ORDER BY id
            """)
        var outcome = BatchCancellation()
        for row in rows {
            switch try await jobs.cancel(publicID: try row.decode("public_id"), projectID: projectID) {
            case .cancelled: outcome.cancelled += 1
            case .cancelRequested: outcome.cancelRequested += 1
            case .alreadyFinished: break
            }
        }
        return outcome
    }

    /// The batch's finished jobs as JSON Lines, in the order they were enqueued (document order):
    /// `custom_id`, `job_id`, `state`, `model`, `text`, `usage`, `error`, `incomplete_reason` —
    /// readable while the batch runs. Read a page at a time as the reader asks (``BatchResultLines``);
    /// an unknown batch (or another project's) throws `notFound` here, before the first line.
    public func resultLines(batchPublicID: String, projectID: Int64?) async throws -> BatchResultLines {
        let rows = try await pool.query(
            "SELECT id FROM batches WHERE public_id = \(batchPublicID) AND (\(projectID)::bigint IS NULL OR project_id = \(projectID))")
        guard let id: Int64 = try rows.first?.decode("id") else { throw StoreError.notFound("batch \(batchPublicID)") }
        return BatchResultLines(store: self, batchID: id)
    }

    /// Up to `limit` result lines of the batch's jobs finished after job id `after`, with the last
    /// job id among them; nil when there are no more.
    func resultPage(batchID: Int64, after: Int64, limit: Int) async throws -> (lines: [UInt8], last: Int64)? {
        let rows = try await pool.query("""
            SELECT j.id, jsonb_strip_nulls(jsonb_build_object(
                       'custom_id', j.source_path, 'job_id', j.public_id, 'state', j.state::text, 'model', j.model,
                       'text', r.output_text,
                       'usage', CASE WHEN r.total_tokens IS NOT NULL THEN jsonb_build_object(
                           'input_tokens', r.input_tokens, 'cached_tokens', r.cached_tokens, 'output_tokens', r.output_tokens,
                           'reasoning_tokens', r.reasoning_tokens, 'total_tokens', r.total_tokens) END,
                       'error', CASE WHEN r.error_code IS NOT NULL AND j.state <> 'completed' THEN jsonb_build_object(
                           'code', r.error_code, 'message', r.error_message) END,
                       'incomplete_reason', r.incomplete_reason))::text AS line
            FROM jobs j \(unescaped: JobStore.resultByKey)
            WHERE j.batch_id = \(batchID) AND j.parent_id IS NULL AND j.finished_at IS NOT NULL AND j.id > \(after)
            ORDER BY j.id LIMIT \(limit)
            """)
        guard let last = rows.last else { return nil }
        var lines: [UInt8] = []
        for row in rows {
            lines.append(contentsOf: try row.decode("line", as: String.self).utf8)
            lines.append(0x0A)
        }
        return (lines, try last.decode("id"))
    }
}

/// A batch's result lines (``BatchStore/resultLines(batchPublicID:projectID:)``), a page of up to
/// `pageSize` lines per element, each read from the database when the reader asks for it: a
/// download streams at the reader's pace and holds one page, where gathering the whole file first
/// held all of it (a 100,000-job batch of 2 kB summaries: 200 MB) before the first byte went out.
/// A page is read as it is asked for, so jobs that finish during a download join it if they come
/// later in document order.
public struct BatchResultLines: AsyncSequence, Sendable {
    public typealias Element = ArraySlice<UInt8>

    let store: BatchStore
    let batchID: Int64
    /// 500 summaries of a few kB: a megabyte or two a page.
    var pageSize = 500

    public struct AsyncIterator: AsyncIteratorProtocol {
        let lines: BatchResultLines
        var after: Int64 = 0
        var finished = false

        public mutating func next() async throws -> ArraySlice<UInt8>? {
            guard !finished else { return nil }
            guard let page = try await lines.store.resultPage(batchID: lines.batchID, after: after, limit: lines.pageSize) else {
                finished = true
                return nil
            }
            after = page.last
            return page.lines[...]
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(lines: self) }
}
