import Hashing
import Foundation

/// One schema change embedded in the binary from `sql/`: a numbered, forward-only migration
/// (`NNNN_name.sql`), applied once, or a function (`NAME.function.sql`), applied again whenever
/// its text changes, so that each function has exactly one source.
public struct Migration: Sendable, Equatable {
    public let name: String
    public let sql: String
    /// Checksums this file had before it was trimmed of a function that moved to its own file:
    /// a database that recorded one of them applied the same schema, so it counts as applied.
    let formerChecksums: Set<String>

    /// SHA-256 of the file, recorded when applied: an applied migration must never change.
    public var checksum: String {
        SHA256.hash(data: Data(sql.utf8)).hexString
    }

    init(name: String, bytes: [UInt8], formerChecksums: Set<String> = []) {
        self.name = name
        self.sql = String(decoding: bytes, as: UTF8.self)
        self.formerChecksums = formerChecksums
    }

    /// True when `recorded` (a ledger checksum) stands for this file's schema.
    func matches(recorded: String) -> Bool {
        recorded == checksum || formerChecksums.contains(recorded)
    }
}

extension Migration {
    /// Every numbered migration, in the order they apply. Add a line here with each new file in
    /// `sql/` (a test checks that the folder and these lists agree).
    public static let all: [Migration] = [
        // 0001 and 0003 held copies of `longhaul_claim_jobs` until it moved to its own file.
        Migration(
            name: "0001_init.sql", bytes: PackageResources._001_init_sql,
            formerChecksums: ["403003374036c8f0d0220af62ba8d5ec883f7d5e45b04ffd1e80370f40499097"]),
        Migration(name: "0002_webhooks.sql", bytes: PackageResources._002_webhooks_sql),
        Migration(
            name: "0003_claim_budget_once.sql", bytes: PackageResources._003_claim_budget_once_sql,
            formerChecksums: ["5b7e05c8ed84016d4c865c529ba399eadb317c7297216aaafb297c91bc88f282"]),
        Migration(name: "0004_outages_pause.sql", bytes: PackageResources._004_outages_pause_sql),
        Migration(name: "0005_long_documents.sql", bytes: PackageResources._005_long_documents_sql),
        Migration(name: "0006_budgets.sql", bytes: PackageResources._006_budgets_sql),
        Migration(name: "0007_dashboard_sessions.sql", bytes: PackageResources._007_dashboard_sessions_sql),
        Migration(name: "0008_held_streams.sql", bytes: PackageResources._008_held_streams_sql),
        Migration(name: "0009_job_search.sql", bytes: PackageResources._009_job_search_sql),
        Migration(name: "0010_calibrations_and_model_limits.sql", bytes: PackageResources._010_calibrations_and_model_limits_sql),
        Migration(name: "0011_held_stream_slots.sql", bytes: PackageResources._011_held_stream_slots_sql),
        Migration(name: "0012_deadlines.sql", bytes: PackageResources._012_deadlines_sql),
        Migration(name: "0013_dashboard_actions.sql", bytes: PackageResources._013_dashboard_actions_sql),
        Migration(name: "0014_lighter_job_writes.sql", bytes: PackageResources._014_lighter_job_writes_sql),
        Migration(name: "0015_trace_context.sql", bytes: PackageResources._015_trace_context_sql),
        Migration(name: "0016_project_model_apis.sql", bytes: PackageResources._016_project_model_apis_sql),
        Migration(name: "0017_prunable_documents.sql", bytes: PackageResources._017_prunable_documents_sql),
        Migration(name: "0018_usage_rollup.sql", bytes: PackageResources._018_usage_rollup_sql),
        Migration(name: "0019_resumable_actions.sql", bytes: PackageResources._019_resumable_actions_sql),
        Migration(name: "0020_hot_updates.sql", bytes: PackageResources._020_hot_updates_sql),
        Migration(name: "0021_shipped_prices.sql", bytes: PackageResources._021_shipped_prices_sql),
        Migration(name: "0022_batch_budgets.sql", bytes: PackageResources._022_batch_budgets_sql),
        Migration(name: "0023_lz4_compression.sql", bytes: PackageResources._023_lz4_compression_sql),
        Migration(name: "0024_payload_statistics.sql", bytes: PackageResources._024_payload_statistics_sql),
        Migration(name: "0025_job_keys.sql", bytes: PackageResources._025_job_keys_sql),
        Migration(name: "0026_time_ordered_message_ids.sql", bytes: PackageResources._026_time_ordered_message_ids_sql),
    ]

    /// Every function, applied after the numbered migrations, again whenever its file changes.
    public static let functions: [Migration] = [
        Migration(name: "longhaul_budget_state.function.sql", bytes: PackageResources.longhaul_budget_state_function_sql),
        Migration(name: "longhaul_batch_budget_state.function.sql", bytes: PackageResources.longhaul_batch_budget_state_function_sql),
        Migration(name: "longhaul_claim_jobs.function.sql", bytes: PackageResources.longhaul_claim_jobs_function_sql),
        Migration(name: "longhaul_shipped_prices.function.sql", bytes: PackageResources.longhaul_shipped_prices_function_sql),
    ]
}
