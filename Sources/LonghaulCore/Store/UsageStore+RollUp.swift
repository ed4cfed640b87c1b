public import Foundation
import Postgres

/// What one roll-up pass did.
public struct UsageRollUpReport: Sendable, Equatable {
    /// Hours newly summed behind the advanced watermark (rounded down).
    public var hoursRolledUp = 0
    /// Stale buckets summed again.
    public var staleHoursRedone = 0
    /// True when the watermark stopped short of where it could go (more to do next pass).
    public var behind = false
    /// How far the roll-up could safely go: every job finished before it has committed.
    public var safeUntil: Date?
}

extension UsageStore {
    /// One pass of the usage roll-up (the workers' Maintainer runs it every few seconds): sums the
    /// stale buckets again, then advances the watermark over whole 15-minute buckets, at most
    /// `maxHours` of them (a first pass over a large table goes a day at a time, about 1 s per
    /// 33,000 jobs).
    ///
    /// The watermark never passes the start of the oldest transaction still open in this
    /// database, nor `lag` ago: a job's `finished_at` is its finishing transaction's start,
    /// and that transaction may commit later; every job finished before the watermark has then
    /// committed. When the other sessions' activity is hidden from this role (no
    /// `pg_read_all_stats`), it keeps 10 minutes back instead.
    ///
    /// One pass runs at a time (an advisory lock; a pass that finds it taken does nothing), so
    /// several Maintainers never sum a bucket twice.
    @discardableResult
    public func rollUp(maxHours: Int = 24, maxStaleHours: Int = 200, lag: Duration = .seconds(60)) async throws -> UsageRollUpReport {
        try await pool.transaction { connection in
            var report = UsageRollUpReport()
            // One pass at a time across every Maintainer; a lock that writes nothing, unlike a
            // row lock, so an idle pass leaves no WAL.
            let locked = try await connection.query("SELECT pg_try_advisory_xact_lock(hashtext('longhaul_usage_rollup')) AS locked")
            guard try locked.first?.decode("locked", as: Bool.self) == true else { return report }
            let state = try await connection.query("""
                SELECT s.watermark, least(
                           now() - make_interval(secs => \(Double(lag.milliseconds) / 1000)),
                           (SELECT min(a.xact_start) FROM pg_stat_activity a
                            WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'),
                           (SELECT now() - interval '10 minutes' FROM pg_stat_activity a
                            WHERE a.datname = current_database() AND a.query = '<insufficient privilege>' LIMIT 1)
                       ) AS safe,
                       (SELECT date_bin('15 minutes', min(finished_at), timestamptz '2000-01-01 00:00:00+00') FROM jobs WHERE finished_at IS NOT NULL AND parent_id IS NULL
                        AND s.watermark IS NULL) AS first_bucket
                FROM usage_rollup_state s
                """)
            guard let row = state.first else { return report }
            let safeUntil: Date = try row.decode("safe")
            report.safeUntil = safeUntil
            let safe = Self.bucket(containing: safeUntil)
            let stored: Date? = try row.decode("watermark")
            let watermark: Date = try stored ?? row.decode("first_bucket", as: Date?.self) ?? safe

            // Stale buckets behind the watermark: sum them again, then drop the marks that were
            // read (a newer mark, from a change this pass may not have seen, stays).
            let stale = try await connection.query("""
                SELECT bucket, version FROM usage_rollup_stale WHERE bucket < \(watermark) ORDER BY bucket LIMIT \(maxStaleHours)
                """)
            let marks = try stale.map { (bucket: try $0.decode("bucket", as: Date.self), version: try $0.decode("version", as: Int64.self)) }
            if !marks.isEmpty {
                let buckets = marks.map(\.bucket)
                try await connection.query("DELETE FROM usage_rollup WHERE bucket = ANY(\(Self.texts(buckets))::timestamptz[])")
                try await insertBuckets(ranges: buckets.map { ($0, $0.addingTimeInterval(Self.bucketSeconds)) }, on: connection)
                try await dropMarks(marks, on: connection)
                report.staleHoursRedone = marks.count
            }

            let target = min(safe, watermark.addingTimeInterval(Double(maxHours) * 3600))
            report.behind = target < safe
            if target > watermark {
                // Marks in the buckets about to be summed: this pass's sums include their changes.
                let fresh = try await connection.query("""
                    SELECT bucket, version FROM usage_rollup_stale WHERE bucket >= \(watermark) AND bucket < \(target)
                    """)
                try await insertBuckets(ranges: [(watermark, target)], on: connection)
                try await dropMarks(
                    try fresh.map { (bucket: try $0.decode("bucket", as: Date.self), version: try $0.decode("version", as: Int64.self)) },
                    on: connection)
                report.hoursRolledUp = Int((target.timeIntervalSince(watermark) / 3600).rounded(.down))
            }
            // Idle, a pass writes nothing (it runs every 5 s).
            if stored == nil || target > watermark {
                try await connection.query("UPDATE usage_rollup_state SET watermark = \(max(target, watermark)), updated_at = now()")
            }
            return report
        }
    }

    /// Instants as `timestamptz` reads them (the client binds no arrays of dates); bucket starts, so whole seconds.
    static func texts(_ dates: [Date]) -> [String] {
        dates.map { $0.ISO8601Format() }
    }

    /// The roll-up's bucket: 15 minutes, counted from 2000-01-01 UTC like `date_bin` in the SQL.
    static let bucketSeconds: TimeInterval = 900

    /// The start of the bucket `date` falls in (the Unix epoch is a bucket start as well).
    static func bucket(containing date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / bucketSeconds).rounded(.down) * bucketSeconds)
    }

    /// Inserts `UsageBuckets`' sums over the jobs finished in `ranges` (`[lo, hi)`, disjoint).
    private func insertBuckets(ranges: [(lo: Date, hi: Date)], on connection: PostgresConnection) async throws {
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 2048, interpolationCount: 2)
        sql.appendLiteral("INSERT INTO usage_rollup (\(UsageBuckets.columns)) WITH ranges AS (SELECT * FROM unnest(")
        sql.appendInterpolation(Self.texts(ranges.map(\.lo)))
        sql.appendLiteral("::timestamptz[], ")
        sql.appendInterpolation(Self.texts(ranges.map(\.hi)))
        sql.appendLiteral("::timestamptz[]) AS r(lo, hi)) ")
        UsageBuckets.appendSelect(to: &sql, ranges: "ranges", projectID: nil, batchID: nil)
        try await connection.query(PostgresQuery(stringInterpolation: sql))
    }

    private func dropMarks(_ marks: [(bucket: Date, version: Int64)], on connection: PostgresConnection) async throws {
        guard !marks.isEmpty else { return }
        try await connection.query("""
            DELETE FROM usage_rollup_stale s USING unnest(\(Self.texts(marks.map(\.bucket)))::timestamptz[], \(marks.map(\.version))) AS m(bucket, version)
            WHERE s.bucket = m.bucket AND s.version = m.version
            """)
    }
}
