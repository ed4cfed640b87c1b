import ArgumentParser
import Logging
import Postgres

/// `--database-url`, shared by the benchmarks that talk to PostgreSQL, and the pool they use.
struct BenchDatabase: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL or conninfo of a throwaway database.")
    var databaseURL: String

    /// Runs `body` with a pool of `connections` on the database, and shuts the pool down whatever
    /// happens. Logs only warnings: the benchmarks print their figures on stdout.
    func withPool<T: Sendable>(
        connections: Int, label: String, _ body: (PostgresPool, Logger) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        let pool = PostgresPool(configuration: PostgresConfiguration(databaseURL), maxConnections: connections, logger: logger)
        do {
            let value = try await body(pool, logger)
            await pool.shutdown()
            return value
        } catch {
            await pool.shutdown()
            throw error
        }
    }
}
