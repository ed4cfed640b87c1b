import Postgres
import TestSupport

/// A pool on a fresh database of its own, shut down when `body` ends, and the database dropped.
func withFreshPool<T: Sendable>(
    _ name: String,
    maxConnections: Int = 4,
    _ body: (PostgresPool) async throws -> T
) async throws -> T {
    try await TestDatabase.withFreshDatabase(named: name) { database in
        try await database.withPool(maxConnections: maxConnections, body)
    }
}

/// Elapsed wall time of `body`.
func measure(_ body: () async throws -> Void) async rethrows -> Duration {
    let clock = ContinuousClock()
    let start = clock.now
    try await body()
    return clock.now - start
}
