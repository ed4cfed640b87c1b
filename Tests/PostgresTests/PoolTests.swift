import Postgres
import TestSupport
import Testing

struct PoolTests {
    @Test func twoHundredTasksShareFourConnections() async throws {
        try await withFreshPool("pg_pool_share", maxConnections: 4) { pool in
            let sum = try await withThrowingTaskGroup(of: Int.self) { group in
                for value in 1...200 {
                    group.addTask {
                        let row = try await pool.query("SELECT \(value) * 2 AS doubled, pg_backend_pid() AS pid").first
                        return try #require(row).decode("doubled", as: Int.self)
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(sum == (1...200).reduce(0, +) * 2)
            #expect(pool.statistics.open <= 4)
            let backends = try await pool.query(
                "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'"
            )
            #expect(try backends.first?.decode("n", as: Int.self) ?? 99 <= 4)
        }
    }

    /// Every connection reads times in UTC and ISO, and never JIT-compiles: on a table of
    /// 1,000,000 jobs a 50-job page planned past JIT's cost thresholds spent 1.6 s compiling.
    @Test func everySessionIsUTCWithoutJIT() async throws {
        try await withFreshPool("pg_session", maxConnections: 1) { pool in
            let row = try #require(
                try await pool.query("SELECT current_setting('TimeZone') AS zone, current_setting('DateStyle') AS style, current_setting('jit') AS jit").first)
            #expect(try row.decode("zone", as: String.self) == "UTC")
            #expect(try row.decode("style", as: String.self) == "ISO, MDY")
            #expect(try row.decode("jit", as: String.self) == "off")
        }
    }

    @Test func cancellingALongQueryReturnsQuicklyAndLeavesThePoolUsable() async throws {
        try await withFreshPool("pg_cancel", maxConnections: 1) { pool in
            let sleeper = Task { try await pool.query("SELECT pg_sleep(30)") }
            // Wait until the sleep is actually running on the server.
            var running = false
            for _ in 0..<100 where !running {
                try await Task.sleep(for: .milliseconds(50))
                let check = PostgresPool(configuration: pool.configuration, maxConnections: 1, logger: TestDatabase.logger)
                running = try await check.query("SELECT count(*) AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'")
                    .first?.decode("n", as: Int.self) == 1
                await check.shutdown()
            }
            #expect(running)
            let elapsed = await measure {
                sleeper.cancel()
                let result = await sleeper.result
                guard case .failure(let error as PostgresError) = result else {
                    Issue.record("expected a cancellation error, got \(result)")
                    return
                }
                #expect(error.kind == .cancelled)
                #expect(error.code == .queryCanceled)
            }
            // Within a second on a quiet machine; the bound leaves room for a loaded 2-core CI run.
            // What it pins down: cancellation does not wait for the 30 s sleep to end.
            #expect(elapsed < .seconds(10))
            #expect(try await pool.query("SELECT 1 AS one").first?.decode("one", as: Int.self) == 1)
        }
    }

    @Test func aTaskCancelledWhileWaitingForAConnectionStopsWaiting() async throws {
        try await withFreshPool("pg_cancel_wait", maxConnections: 1) { pool in
            try await pool.withConnection { _ in
                let waiter = Task { try await pool.query("SELECT 1") }
                try await Task.sleep(for: .milliseconds(100))
                waiter.cancel()
                let result = await waiter.result
                guard case .failure(let error as PostgresError) = result else {
                    Issue.record("expected cancellation, got \(result)")
                    return
                }
                #expect(error.kind == .cancelled)
            }
            #expect(pool.statistics.waiting == 0)
            try await pool.query("SELECT 1")
        }
    }

    @Test func aTerminatedConnectionIsReplacedForTheNextQuery() async throws {
        try await withFreshPool("pg_replace", maxConnections: 1) { pool in
            let firstPID = try #require(try await pool.query("SELECT pg_backend_pid() AS pid").first?.decode("pid", as: Int32.self))
            // Kill the pooled connection's backend from outside the pool, and wait until it is gone.
            let admin = try await PostgresConnection.connect(pool.configuration, logger: TestDatabase.logger)
            try await admin.query("SELECT pg_terminate_backend(\(firstPID))")
            for _ in 0..<100 {
                let alive = try await admin.query("SELECT count(*) AS n FROM pg_stat_activity WHERE pid = \(firstPID)")
                if try alive.first?.decode("n", as: Int.self) == 0 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            await admin.close()

            let secondPID = try #require(try await pool.query("SELECT pg_backend_pid() AS pid").first?.decode("pid", as: Int32.self))
            #expect(secondPID != firstPID)
            #expect(pool.statistics.open == 1)
        }
    }

    @Test func aConnectionBrokenMidQueryIsDiscarded() async throws {
        try await withFreshPool("pg_broken", maxConnections: 1) { pool in
            let error = try await #require(throws: PostgresError.self) {
                try await pool.query("SELECT pg_terminate_backend(pg_backend_pid())")
            }
            #expect(error.isConnectionProblem)
            #expect(error.code == .adminShutdown)
            #expect(try await pool.query("SELECT 2 AS two").first?.decode("two", as: Int.self) == 2)
        }
    }

    @Test func theConnectErrorNamesTheSocketAndNeverThePassword() async throws {
        let configuration = PostgresConfiguration("postgresql://longhaul:s3cret-pw@/postgres?host=/nonexistent/longhaul-socket-dir")
        #expect(!configuration.description.contains("s3cret"))
        #expect(configuration.description.contains("/nonexistent/longhaul-socket-dir"))
        let error = try await #require(throws: PostgresError.self) {
            _ = try await PostgresConnection.connect(configuration, logger: TestDatabase.logger)
        }
        #expect(error.kind == .connection)
        #expect(error.isConnectionProblem)
        #expect(error.message.contains("/nonexistent/longhaul-socket-dir"))
        #expect(!error.description.contains("s3cret"))

        let tcp = PostgresConfiguration("host=127.0.0.1 port=1 user=u password=s3cret-pw dbname=d")
        let tcpError = try await #require(throws: PostgresError.self) {
            _ = try await PostgresConnection.connect(tcp, logger: TestDatabase.logger)
        }
        #expect(tcpError.message.contains("127.0.0.1"))
        #expect(!tcpError.description.contains("s3cret"))

        let malformed = try await #require(throws: PostgresError.self) {
            _ = try await PostgresConnection.connect(PostgresConfiguration("postgres://u:p%zz@host/db"), logger: TestDatabase.logger)
        }
        #expect(malformed.message.contains("malformed"))
    }

    @Test func aShutDownPoolRefusesWork() async throws {
        let pool = PostgresPool(configuration: try TestDatabase.configuration(), maxConnections: 2, logger: TestDatabase.logger)
        try await pool.query("SELECT 1")
        await pool.shutdown()
        let error = try await #require(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(error.kind == .shutdown)
    }

    @Test func executeRunsSeveralStatements() async throws {
        try await withFreshPool("pg_execute") { pool in
            try await pool.withConnection { connection in
                try await connection.execute("CREATE TABLE a (n int); INSERT INTO a VALUES (1), (2); CREATE INDEX ON a (n);")
            }
            #expect(try await pool.query("SELECT n FROM a ORDER BY n").map { try $0.decode("n", as: Int.self) } == [1, 2])
        }
    }

    @Test func aPreparedStatementSurvivesATableChange() async throws {
        try await withFreshPool("pg_replan", maxConnections: 1) { pool in
            try await pool.query("CREATE TABLE t (a int)")
            try await pool.query("INSERT INTO t VALUES (1)")
            #expect(try await pool.query("SELECT * FROM t").first?.columns == ["a"])
            try await pool.query("ALTER TABLE t ADD COLUMN b int DEFAULT 2")
            #expect(try await pool.query("SELECT * FROM t").first?.columns == ["a", "b"])
        }
    }
}
