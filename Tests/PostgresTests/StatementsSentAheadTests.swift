import Postgres
import TestSupport
import Testing

/// `sendWithNextStatement`: a transaction's `BEGIN` and a `NOTIFY` go out in the same round trip
/// as the statement after them (libpq's pipeline mode), and behave as if each had gone alone.
struct StatementsSentAheadTests {
    struct Boom: Error {}

    /// True when the connection's current statement runs inside a transaction block that already
    /// wrote (an earlier statement of the block was given a transaction id).
    static let insideWritingTransaction: PostgresQuery = "SELECT pg_current_xact_id_if_assigned() IS NOT NULL AS inside"

    @Test func aTransactionsFirstStatementRunsInsideItAtItsIsolationLevel() async throws {
        try await withFreshPool("pg_ahead_first", maxConnections: 1) { pool in
            try await pool.query("CREATE TABLE jobs (id bigint PRIMARY KEY)")
            let level = try await pool.transaction(isolation: .serializable) { connection in
                try await connection.query("SHOW transaction_isolation").first?.decode("transaction_isolation", as: String.self)
            }
            #expect(level == "serializable")
            let inside = try await pool.transaction { connection in
                try await connection.query("INSERT INTO jobs VALUES (\(1))")
                return try await connection.query(Self.insideWritingTransaction).first?.decode("inside", as: Bool.self)
            }
            #expect(inside == true)
        }
    }

    @Test func aTransactionThatThrowsBeforeItsFirstStatementLeavesNoBeginBehind() async throws {
        try await withFreshPool("pg_ahead_unsent_begin", maxConnections: 1) { pool in
            try await pool.query("CREATE TABLE jobs (id bigint PRIMARY KEY)")
            await #expect(throws: Boom.self) {
                try await pool.transaction { _ in throw Boom() }
            }
            // The pool's one connection: had the BEGIN stayed queued, this insert would open a
            // transaction that the next statement still sees.
            let inside = try await pool.withConnection { connection in
                try await connection.query("INSERT INTO jobs VALUES (\(1))")
                return try await connection.query(Self.insideWritingTransaction).first?.decode("inside", as: Bool.self)
            }
            #expect(inside == false)
        }
    }

    @Test func aFailingStatementSentAheadFailsTheNextAndTheConnectionRecovers() async throws {
        try await withFreshPool("pg_ahead_error", maxConnections: 1) { pool in
            try await pool.withConnection { connection in
                try connection.sendWithNextStatement("SELECT 1 / \(0) AS never")
                let error = try await #require(throws: PostgresError.self) {
                    try await connection.query("SELECT \(1) AS one")
                }
                #expect(error.sqlState == "22012")  // division_by_zero: the statement sent ahead
                #expect(try await connection.query("SELECT \(2) AS two").first?.decode("two", as: Int.self) == 2)
            }
            #expect(try await pool.query("SELECT \(3) AS three").first?.decode("three", as: Int.self) == 3)
        }
    }

    @Test func aPipelineThatCannotBeSentInFullCostsTheConnectionNotTheNextBorrower() async throws {
        try await withFreshPool("pg_ahead_unsendable", maxConnections: 1) { pool in
            // libpq refuses more than 65,535 parameters before sending: the BEGIN ahead of this
            // statement is queued, the statement is not.
            var bindings = PostgresBindings()
            for number in 0..<70_000 { bindings.append(number) }
            let tooMany = PostgresQuery(unsafeSQL: "SELECT 1", bindings: bindings)
            await #expect(throws: PostgresError.self) {
                try await pool.transaction { connection in try await connection.query(tooMany) }
            }
            let after = try await pool.query("SELECT \(1) AS one")
            #expect(try after.first?.decode("one", as: Int.self) == 1)
        }
    }

    @Test func severalStatementsInOneRoundTripEachReturnTheirRowsOrTheFirstFailure() async throws {
        try await withFreshPool("pg_ahead_several", maxConnections: 1) { pool in
            try await pool.query("CREATE TABLE jobs (id bigint PRIMARY KEY)")
            let both = try await pool.transaction { connection in
                try await connection.query(["INSERT INTO jobs VALUES (\(1)), (\(2)) RETURNING id", "SELECT count(*) AS n FROM jobs WHERE id > \(0)"])
            }
            #expect(both.count == 2 && both[0].count == 2)
            #expect(try both[1].first?.decode("n", as: Int.self) == 2, "the read sees the write before it")

            let error = try await #require(throws: PostgresError.self) {
                try await pool.transaction { connection in
                    try await connection.query(["INSERT INTO jobs VALUES (\(3))", "SELECT 1 / \(0) AS never", "INSERT INTO jobs VALUES (\(4))"])
                }
            }
            #expect(error.sqlState == "22012")
            let ids = try await pool.query("SELECT id FROM jobs ORDER BY id").map { try $0.decode("id", as: Int.self) }
            #expect(ids == [1, 2], "the transaction rolled back; the statement after the failure never ran")
        }
    }

    @Test func aStatementSentAheadOfNothingGoesOutWhenTheConnectionIsGivenBack() async throws {
        try await withFreshPool("pg_ahead_alone") { pool in
            try await pool.query("CREATE TABLE jobs (id bigint PRIMARY KEY)")
            try await pool.withConnection { connection in
                try connection.sendWithNextStatement("INSERT INTO jobs VALUES (\(7))")
            }
            #expect(try await pool.query("SELECT id FROM jobs").first?.decode("id", as: Int.self) == 7)
        }
    }

    @Test func aStatementFirstInItsTransactionIsPreparedOnceAndReused() async throws {
        try await withFreshPool("pg_ahead_prepared", maxConnections: 1) { pool in
            try await pool.query("CREATE TABLE jobs (id bigint PRIMARY KEY)")
            for id in 1...3 {
                _ = try await pool.transaction { connection in
                    try await connection.query("INSERT INTO jobs SELECT \(id) WHERE true")
                }
            }
            let prepared = try await pool.query(
                "SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = 'INSERT INTO jobs SELECT $1 WHERE true'")
            #expect(try prepared.first?.decode("n", as: Int.self) == 1)
            #expect(try await pool.query("SELECT count(*) AS n FROM jobs").first?.decode("n", as: Int.self) == 3)
        }
    }

    @Test func copyFirstInATransactionStillRunsInsideIt() async throws {
        try await withFreshPool("pg_ahead_copy", maxConnections: 1) { pool in
            try await pool.query("CREATE TABLE numbers (n bigint)")
            await #expect(throws: Boom.self) {
                try await pool.transaction { connection in
                    _ = try await connection.copyIn(table: "numbers", columns: ["n"], rows: [[1], [2]] as [[any PostgresEncodable]])
                    throw Boom()
                }
            }
            #expect(try await pool.query("SELECT count(*) AS n FROM numbers").first?.decode("n", as: Int.self) == 0)
        }
    }

    @Test func aNotifySentAheadIsDeliveredAtCommitAndNeverAfterARollback() async throws {
        try await withFreshPool("pg_ahead_notify") { pool in
            try await pool.query("CREATE TABLE jobs (id bigint PRIMARY KEY)")
            let listener = pool.listen(["ahead"])
            var events = listener.makeAsyncIterator()
            // Until the listener is known to listen: a notification of its own arrives.
            let ready = Task {
                while !Task.isCancelled {
                    try? await pool.notify("ahead", payload: "ready")
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
            while case .notification(_, let payload)? = await events.next(), payload != "ready" {}
            ready.cancel()
            _ = await ready.value

            await #expect(throws: Boom.self) {
                try await pool.transaction { connection in
                    try await connection.query("INSERT INTO jobs VALUES (\(1))")
                    try connection.sendWithNextStatement("SELECT pg_notify('ahead', \("rolled back"))")
                    throw Boom()
                }
            }
            try await pool.transaction { connection in
                try await connection.query("INSERT INTO jobs VALUES (\(2))")
                try connection.sendWithNextStatement("SELECT pg_notify('ahead', \("committed"))")
            }
            // Notifications arrive in commit order: the committed one comes before any later
            // "ready", and the rolled-back one never does.
            var delivered: [String] = []
            while let event = await events.next() {
                guard case .notification(_, let payload) = event else { continue }
                if payload == "ready" { continue }
                delivered.append(payload)
                break
            }
            #expect(delivered == ["committed"])
        }
    }
}
