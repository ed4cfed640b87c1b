import Foundation
import Logging
import LonghaulCore
import Postgres

/// The database a command works on: `--database-url`, else `$DATABASE_URL`, else the embedded
/// PostgreSQL (started if needed, said so on stderr, stopped at the end if this command started it).
/// The schema is migrated on open (under the migration lock, so concurrent opens are safe).
struct DatabaseSession: Sendable {
    let pool: PostgresPool
    let url: String
    let embedded: EmbeddedPostgres?
    let startedEmbedded: Bool

    fileprivate static func open(
        _ options: GlobalOptions, logger: Logger, maxConnections: Int = 16, migrate: Bool = true
    ) async throws -> DatabaseSession {
        var embedded: EmbeddedPostgres?
        var startedEmbedded = false
        let url: String
        if let configured = options.databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"], !configured.isEmpty {
            url = configured
        } else {
            let database = EmbeddedPostgres.fromEnvironment()
            let started = try await database.start()
            url = started.url
            embedded = database
            startedEmbedded = started.startedHere
            Console.note(
                "using the embedded PostgreSQL in \(database.home.path) (\(started.startedHere ? "started" : "already running"); "
                    + "set DATABASE_URL to use another)")
        }
        let pool = PostgresPool(configuration: PostgresConfiguration(url), maxConnections: maxConnections, logger: logger)
        if migrate && ProcessInfo.processInfo.environment["LONGHAUL_AUTO_MIGRATE"] != "0" {
            let applied = try await Migrator(pool: pool).migrate(logger: logger)
            if !applied.isEmpty { Console.note("applied migrations: \(applied.joined(separator: ", "))") }
        }
        return DatabaseSession(pool: pool, url: url, embedded: embedded, startedEmbedded: startedEmbedded)
    }

    /// Closes the pool and stops the embedded server if this command started it.
    fileprivate func close(stopEmbedded: Bool = true) async {
        await pool.shutdown()
        if stopEmbedded, startedEmbedded, let embedded {
            do { try await embedded.stop() } catch { Console.note("could not stop the embedded PostgreSQL: \(error)") }
        }
    }
}

/// Opens a ``DatabaseSession``, runs `body` with it and closes it, whether `body` returns or throws.
/// `stopEmbedded: false` leaves running an embedded server that this command started.
func withDatabaseSession<T: Sendable>(
    _ options: GlobalOptions, logger: Logger, maxConnections: Int = 16, migrate: Bool = true, stopEmbedded: Bool = true,
    _ body: (DatabaseSession) async throws -> T
) async throws -> T {
    let session = try await DatabaseSession.open(options, logger: logger, maxConnections: maxConnections, migrate: migrate)
    return try await withTeardown {
        try await body(session)
    } teardown: {
        await session.close(stopEmbedded: stopEmbedded)
    }
}

/// One-line notes for people, on stderr (stdout stays for results).
enum Console {
    static func note(_ message: String) {
        FileHandle.standardError.write(Data("longhaul: \(message)\n".utf8))
    }
}
