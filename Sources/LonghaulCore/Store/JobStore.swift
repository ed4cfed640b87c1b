import Foundation
import JSONWriting
public import Postgres

/// Jobs as the API and the CLI see them: enqueue, read, list, cancel, retry. The workers use the
/// `JobQueue`, batches the `BatchStore`.
public struct JobStore: Sendable {
    public let pool: PostgresPool
    let finalizer: JobFinalizer
    var notifications: NotifyLimiter { finalizer.outbox.notifications }

    /// `publicBaseURL` is where webhook receivers reach the API (`result_url` in the payloads of
    /// the jobs this store ends: a cancelled queued job).
    public init(pool: PostgresPool, publicBaseURL: String = WebhookOutbox.defaultPublicBaseURL) {
        self.pool = pool
        self.finalizer = JobFinalizer(publicBaseURL: publicBaseURL)
    }
}

/// Encodes a batch of rows as one jsonb parameter, read back with `jsonb_to_recordset`.
func recordset<Row: Encodable & Sendable>(_ rows: [Row]) -> PostgresJSON<[Row]> {
    PostgresJSON(rows)
}

/// The same for rows that write themselves (`JSONBytesWritable`), chosen over the one above wherever
/// a row conforms: the recordsets every job passes through (its accept, its attempt) went through
/// `JSONEncoder`, 3 % of the worker's samples in `perf` over bench/pipeline.sh (the pipeline's rate
/// did not move beyond its noise).
func recordset<Row: JSONBytesWritable & Sendable>(_ rows: [Row]) -> WrittenRecordset<Row> {
    WrittenRecordset(rows: rows)
}

/// Rows written by hand as one jsonb array.
struct WrittenRecordset<Row: JSONBytesWritable & Sendable>: PostgresEncodable {
    var rows: [Row]

    static var postgresType: PostgresDataType { .jsonb }

    func postgresText() throws -> String? { String(decoding: rows.jsonBytes, as: UTF8.self) }
}

extension Duration {
    /// Whole milliseconds, for intervals passed to SQL.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
