public import Postgres

/// A database of one test's own on the test server, from ``TestDatabase/withFreshDatabase(named:_:)``,
/// which drops it when the test's scope ends.
public struct FreshDatabase: Sendable {
    /// The database's name, `<prefix>_<random>`.
    public let name: String
    /// The test server's configuration pointed at this database.
    public let configuration: PostgresConfiguration
    /// The test server's URL pointed at this database, for child processes (`DATABASE_URL`,
    /// `--database-url`).
    public let url: String

    /// Runs `body` with a pool on this database (not migrated), shut down when `body` ends; its
    /// sessions carry `applicationName` when one is given.
    public func withPool<T>(
        maxConnections: Int = 4, applicationName: String? = nil, _ body: (PostgresPool) async throws -> T
    ) async throws -> T {
        var configuration = configuration
        if let applicationName { configuration.applicationName = applicationName }
        let pool = PostgresPool(configuration: configuration, maxConnections: maxConnections, logger: TestDatabase.logger)
        return try await withResource(pool, close: { await $0.shutdown() }, body)
    }
}
