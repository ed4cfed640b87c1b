import Foundation
public import Postgres

/// The job queue in PostgreSQL: enqueue, claim, record outcomes, cancel, retry, rescue, prune.
///
/// Every write that the loops make is batched (one statement for many jobs, one commit per batch)
/// and guarded: it applies only to rows still in the state and lease the writer expects, so a
/// rescued or cancelled job is never overwritten by a worker that lost it.
public struct JobStore: Sendable {
    public let pool: PostgresPool
    /// The API's public base URL, for `result_url` in webhook payloads.
    public var publicBaseURL: String
    let notifications = NotifyLimiter()

    public init(pool: PostgresPool, publicBaseURL: String = JobStore.configuredPublicBaseURL) {
        self.pool = pool
        self.publicBaseURL = publicBaseURL
    }

    /// `LONGHAUL_PUBLIC_URL` (where receivers reach the API, e.g. `https://longhaul.example.com`),
    /// else `http://127.0.0.1:8080`: the base of `result_url` in webhook payloads, read by every
    /// process that ends jobs (workers, `serve`, `batch`, `jobs cancel`).
    public static var configuredPublicBaseURL: String {
        guard let configured = ProcessInfo.processInfo.environment["LONGHAUL_PUBLIC_URL"], !configured.isEmpty else {
            return "http://127.0.0.1:8080"
        }
        return configured.hasSuffix("/") ? String(configured.dropLast()) : configured
    }

    /// NOTIFY `channel` inside the caller's transaction, unless this process did so a moment ago.
    func notify(_ channel: String, on connection: PostgresConnection) async throws {
        guard notifications.shouldNotify(channel) else { return }
        try await connection.query("SELECT pg_notify(\(channel), '')")
    }

    /// NOTIFY channels: hints for the loops, never the source of truth (they also poll).
    public enum Channel {
        public static let jobs = "longhaul_jobs"
        public static let polls = "longhaul_polls"
        public static let deliveries = "longhaul_deliveries"
    }
}

/// Encodes a batch of rows as one jsonb parameter, read back with `jsonb_to_recordset`.
func recordset<Row: Encodable & Sendable>(_ rows: [Row]) -> PostgresJSON<[Row]> {
    PostgresJSON(rows)
}

extension Duration {
    /// Whole milliseconds, for intervals passed to SQL.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
