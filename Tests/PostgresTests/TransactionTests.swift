import Postgres
import TestSupport
import Testing

struct TransactionTests {
    struct Boom: Error {}

    @Test func aThrowingTransactionLeavesNothingBehind() async throws {
        try await withFreshPool("pg_tx_rollback", maxConnections: 1) { pool in
            try await pool.query("CREATE TABLE jobs (id bigint PRIMARY KEY)")
            await #expect(throws: Boom.self) {
                try await pool.transaction { connection in
                    try await connection.query("INSERT INTO jobs VALUES (\(1))")
                    try await connection.query("INSERT INTO jobs VALUES (\(2))")
                    throw Boom()
                }
            }
            #expect(try await pool.query("SELECT id FROM jobs").isEmpty)
            // The one connection went back to the pool outside any transaction.
            let status = try await pool.query("SELECT count(*) AS open FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'")
            #expect(try status.first?.decode("open", as: Int.self) == 0)
        }
    }

    @Test func aCommittedTransactionKeepsItsRowsAndReturnsItsValue() async throws {
        try await withFreshPool("pg_tx_commit") { pool in
            try await pool.query("CREATE TABLE jobs (id bigint PRIMARY KEY)")
            let count = try await pool.transaction(isolation: .serializable) { connection in
                try await connection.query("INSERT INTO jobs SELECT generate_series(1, 3)")
                return try await connection.query("SELECT count(*) AS n FROM jobs").first?.decode("n", as: Int.self)
            }
            #expect(count == 3)
            #expect(try await pool.query("SELECT id FROM jobs").count == 3)
        }
    }

    @Test func anErrorSwallowedInsideATransactionFailsTheCommit() async throws {
        try await withFreshPool("pg_tx_swallowed") { pool in
            try await pool.query("CREATE TABLE jobs (id bigint PRIMARY KEY)")
            let error = try await #require(throws: PostgresError.self) {
                try await pool.transaction { connection in
                    try await connection.query("INSERT INTO jobs VALUES (\(1))")
                    _ = try? await connection.query("SELECT * FROM no_such_table")
                }
            }
            #expect(error.code == .inFailedTransaction)
            #expect(try await pool.query("SELECT id FROM jobs").isEmpty)
        }
    }

    @Test func uniqueViolationCarriesSQLStateAndConstraint() async throws {
        try await withFreshPool("pg_unique") { pool in
            try await pool.query("CREATE TABLE jobs (id bigint, idempotency_key text CONSTRAINT jobs_idempotency_key_unique UNIQUE)")
            try await pool.query("INSERT INTO jobs VALUES (\(1), \("k-1"))")
            let error = try await #require(throws: PostgresError.self) {
                try await pool.query("INSERT INTO jobs VALUES (\(2), \("k-1"))")
            }
            #expect(error.kind == .server)
            #expect(error.sqlState == "23505")
            #expect(error.code == .uniqueViolation)
            #expect(error.constraint == "jobs_idempotency_key_unique")
            #expect(error.table == "jobs")
            #expect(error.detail?.contains("already exists") == true)
            #expect(!error.isConnectionProblem)
            #expect(error.description.contains("23505"))
        }
    }

    @Test func serializationFailuresAreRetried() async throws {
        try await withFreshPool("pg_serializable", maxConnections: 4) { pool in
            try await pool.query("CREATE TABLE counters (id int PRIMARY KEY, value int)")
            try await pool.query("INSERT INTO counters VALUES (1, 0)")
            // Concurrent read-modify-write in SERIALIZABLE: some attempts fail with 40001 and retry.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await pool.retryingSerializationFailures(maxAttempts: 50) {
                            try await pool.transaction(isolation: .serializable) { connection in
                                let value = try #require(
                                    try await connection.query("SELECT value FROM counters WHERE id = 1").first?.decode("value", as: Int.self)
                                )
                                try await connection.query("SELECT pg_sleep(0.01)")
                                try await connection.query("UPDATE counters SET value = \(value + 1) WHERE id = 1")
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let value = try await pool.query("SELECT value FROM counters WHERE id = 1").first?.decode("value", as: Int.self)
            #expect(value == 8)
        }
    }

    @Test func retryingGivesUpAfterMaxAttempts() async throws {
        try await withFreshPool("pg_retry_limit") { pool in
            let attempts = Counter()
            let error = try await #require(throws: PostgresError.self) {
                try await pool.retryingSerializationFailures(maxAttempts: 3) {
                    attempts.increment()
                    // RAISE with an explicit SQLSTATE stands in for a real conflict.
                    try await pool.query("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$")
                }
            }
            #expect(error.code == .serializationFailure)
            #expect(attempts.value == 3)
        }
    }
}

/// A thread-safe counter for closures that run in other tasks.
final class Counter: Sendable {
    private let storage = Mutex(0)
    func increment() { storage.withLock { $0 += 1 } }
    var value: Int { storage.withLock { $0 } }
}

import Synchronization
