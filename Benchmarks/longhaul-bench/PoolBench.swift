import ArgumentParser
import Logging
import Postgres

/// `longhaul-bench pool`: parameterized single-row SELECTs per second through ``PostgresPool``,
/// at several concurrency levels; the same statement as `pgbench -S`, so the figures compare.
struct PoolBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "Queries per second through the PostgreSQL pool (pgbench -S's statement; run pgbench -i first)."
    )

    /// A database initialised with `pgbench -i`.
    @OptionGroup var database: BenchDatabase

    @Option(help: "Comma-separated numbers of concurrent tasks.")
    var concurrency: String = "1,8,32"

    @Option(help: "Connections in the pool.")
    var connections: Int = 8

    @Option(help: "Seconds per concurrency level.")
    var seconds: Int = 10

    func validate() throws {
        guard !levels.isEmpty, levels.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--concurrency must list positive integers, e.g. 1,8,32")
        }
        guard connections > 0, seconds > 0 else { throw ValidationError("--connections and --seconds must be positive") }
    }

    private var levels: [Int] { concurrency.split(separator: ",").compactMap { Int($0.trimmingPrefix(" ")) } }

    func run() async throws {
        try await database.withPool(connections: connections, label: "longhaul.bench.pool") { pool, _ in
            let accounts = try await pool.query("SELECT count(*) AS n FROM pgbench_accounts").first?.decode("n", as: Int.self) ?? 0
            guard accounts > 0 else { throw ValidationError("pgbench_accounts is empty; run pgbench -i on this database first") }
            for level in levels {
                let count = try await queries(pool, concurrency: level, accounts: accounts)
                let rate = Int(Double(count.queries) / count.elapsed.inSeconds)
                print("pool concurrency=\(level) connections=\(connections) queries=\(count.queries) qps=\(rate)")
            }
        }
    }

    /// `pgbench -S`'s statement from `concurrency` tasks for `--seconds`: how many ran, in how long.
    private func queries(_ pool: PostgresPool, concurrency: Int, accounts: Int) async throws -> (queries: Int, elapsed: Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .seconds(seconds)
        let count = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var done = 0
                    while clock.now < deadline {
                        let aid = Int.random(in: 1...accounts)
                        _ = try await pool.query("SELECT abalance FROM pgbench_accounts WHERE aid = \(aid)")
                            .first?.decode("abalance", as: Int.self)
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        return (count, clock.now - start)
    }
}
