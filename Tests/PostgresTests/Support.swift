import Postgres
import TestSupport

/// A pool on a fresh database of its own, shut down when `body` ends.
func withFreshPool<T: Sendable>(
    _ name: String,
    maxConnections: Int = 4,
    _ body: (PostgresPool) async throws -> T
) async throws -> T {
    let configuration = try await TestDatabase.makeFreshDatabase(named: name)
    let pool = PostgresPool(configuration: configuration, maxConnections: maxConnections, logger: TestDatabase.logger)
    do {
        let result = try await body(pool)
        await pool.shutdown()
        return result
    } catch {
        await pool.shutdown()
        throw error
    }
}

/// Elapsed wall time of `body`.
func measure(_ body: () async throws -> Void) async rethrows -> Duration {
    let clock = ContinuousClock()
    let start = clock.now
    try await body()
    return clock.now - start
}
