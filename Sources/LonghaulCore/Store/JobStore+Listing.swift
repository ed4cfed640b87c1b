import Foundation
import Postgres

extension JobStore {
    /// One page of jobs matching `filter`, newest first (id DESC).
    ///
    /// Keyset pagination: the cursor holds the last id shown and the next page starts below it,
    /// so jobs added meanwhile never appear on later pages and none is skipped or shown twice.
    /// `limit` is 1…1000 (else `StoreError.invalid(field: "limit")`); a cursor this server did
    /// not issue is `StoreError.invalid(field: "cursor")`.
    public func listJobs(_ filter: JobFilter, limit: Int, cursor: String?) async throws -> JobPage {
        guard (1...1000).contains(limit) else {
            throw StoreError.invalid(field: "limit", message: "limit must be between 1 and 1000")
        }
        if filter.metadataValue != nil && filter.metadataKey == nil {
            throw StoreError.invalid(field: "metadata_value", message: "metadata_value needs metadata_key")
        }
        let before = try cursor.map(JobCursor.decode)
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 1024, interpolationCount: 8)
        // Map and merge jobs are part of the job they were split from (counted under it in `GET /v1/jobs/{id}`).
        sql.appendLiteral("SELECT \(Self.detailColumns) \(Self.detailJoins) WHERE j.parent_id IS NULL")
        Self.appendConditions(of: filter, to: &sql)
        if let before {
            sql.appendLiteral(" AND j.id < ")
            sql.appendInterpolation(before)
        }
        sql.appendLiteral(" ORDER BY j.id DESC LIMIT ")
        sql.appendInterpolation(limit + 1)
        let rows = try await pool.query(PostgresQuery(stringInterpolation: sql))
        var jobs = try rows.map(Self.decodeDetail)
        var next: String?
        if jobs.count > limit {
            jobs.removeLast(jobs.count - limit)
            next = jobs.last.map { JobCursor.encode(lastID: $0.id) }
        }
        return JobPage(jobs: jobs, nextCursor: next)
    }

    /// The conditions of `filter` after a `WHERE`, on `jobs j`: only the filters given, so each
    /// combination gets a plan fit for it (a generic plan over "$1 IS NULL OR …" would scan the whole table).
    static func appendConditions(of filter: JobFilter, to sql: inout PostgresQuery.StringInterpolation) {
        if let projectID = filter.projectID {
            sql.appendLiteral(" AND j.project_id = ")
            sql.appendInterpolation(projectID)
        }
        if let state = filter.state {
            sql.appendLiteral(" AND j.state = ")
            sql.appendInterpolation(state.rawValue)
            sql.appendLiteral("::job_state")
        }
        if let batch = filter.batchPublicID {
            sql.appendLiteral(" AND j.batch_id = (SELECT id FROM batches WHERE public_id = ")
            sql.appendInterpolation(batch)
            sql.appendLiteral(")")
        }
        // A created range is also an id range, a minute wider (`longhaul_job_id_created_at`).
        if let after = filter.createdAfter {
            sql.appendLiteral(" AND j.created_at >= ")
            sql.appendInterpolation(after)
            sql.appendLiteral(" AND j.id >= longhaul_job_id_created_at(")
            sql.appendInterpolation(after.addingTimeInterval(-60))
            sql.appendLiteral(")")
        }
        if let createdBefore = filter.createdBefore {
            sql.appendLiteral(" AND j.created_at < ")
            sql.appendInterpolation(createdBefore)
            sql.appendLiteral(" AND j.id < longhaul_job_id_created_at(")
            sql.appendInterpolation(createdBefore.addingTimeInterval(60))
            sql.appendLiteral(")")
        }
        // File names and metadata are searched in `job_search` (its GIN indexes; migration 0009).
        if let key = filter.metadataKey {
            sql.appendLiteral(" AND j.id IN (SELECT s.job_id FROM job_search s WHERE s.metadata <> '{}' AND s.metadata ")
            if let value = filter.metadataValue {
                sql.appendLiteral("@> ")
                sql.appendInterpolation(PostgresJSON([key: value]))
                sql.appendLiteral(")")
            } else {
                sql.appendLiteral("? ")
                sql.appendInterpolation(key)
                sql.appendLiteral("::text)")
            }
        }
        if let model = filter.model {
            sql.appendLiteral(" AND j.model = ")
            sql.appendInterpolation(model)
        }
        if let text = filter.sourceContains {
            sql.appendLiteral(" AND j.id IN (SELECT s.job_id FROM job_search s WHERE s.source_path ILIKE ")
            sql.appendInterpolation("%" + Self.likeEscaped(text) + "%")
            sql.appendLiteral(")")
        }
    }

    /// How many top-level jobs match `filter`, counting at most `limit` (the dashboard states the
    /// count before acting on every job matching, and never counts further than it would act).
    public func countJobs(_ filter: JobFilter, upTo limit: Int) async throws -> Int {
        if filter.metadataValue != nil && filter.metadataKey == nil {
            throw StoreError.invalid(field: "metadata_value", message: "metadata_value needs metadata_key")
        }
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 512, interpolationCount: 8)
        sql.appendLiteral("SELECT count(*)::bigint AS n FROM (SELECT 1 FROM jobs j WHERE j.parent_id IS NULL")
        Self.appendConditions(of: filter, to: &sql)
        sql.appendLiteral(" LIMIT ")
        sql.appendInterpolation(limit)
        sql.appendLiteral(") matching")
        let rows = try await pool.query(PostgresQuery(stringInterpolation: sql))
        return try rows.first.orThrow("count returned no row").decode("n")
    }

    /// `text` with LIKE's wildcards and escape character taken literally.
    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(
            of: "_", with: "\\_")
    }
}
