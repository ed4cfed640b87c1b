import Foundation
public import Logging
public import Postgres

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The PostgreSQL server the tests run against, and fresh databases on it.
///
/// Tests never mock the database: `scripts/test` starts a throwaway server and exports
/// `LONGHAUL_TEST_DATABASE_URL`. Each test (or suite) takes a database of its own from
/// ``withFreshDatabase(named:_:)`` so that tests run in parallel without seeing each other's rows,
/// and the database is dropped when the test ends.
public struct TestDatabase {
    /// The environment variable naming the test server.
    public static let environmentVariable = "LONGHAUL_TEST_DATABASE_URL"

    /// Why a test that needs PostgreSQL cannot run.
    public struct Unavailable: Error, CustomStringConvertible {
        /// What to do about it.
        public let description: String
    }

    /// The test server's URL, from `LONGHAUL_TEST_DATABASE_URL`; throws (so the test fails, never
    /// skips) when it is unset.
    public static func serverURL() throws -> String {
        guard let url = getenv(environmentVariable).map({ String(cString: $0) }), !url.isEmpty else {
            throw Unavailable(
                description: """
                    \(environmentVariable) is not set, and this test needs a real PostgreSQL. \
                    Run the tests with scripts/test, or start a server yourself: \
                    d=$(mktemp -d); chmod 755 $d; export \(environmentVariable)=$(scripts/test-database start $d/pg)
                    """
            )
        }
        return url
    }

    /// The test server's configuration; throws like ``serverURL()``.
    public static func configuration() throws -> PostgresConfiguration {
        PostgresConfiguration(try serverURL())
    }

    /// Runs `body` on a new, uniquely named database on the test server (`<prefix>_<random>`), then
    /// drops it, however `body` ends: a full run used to leave its 151 databases behind (1.2 GB
    /// of the server's 2.0 GB, measured on PostgreSQL 15).
    ///
    /// Whatever still uses the database when `body` returns (a pool not shut down, a child process
    /// given its URL) is disconnected by the drop.
    public static func withFreshDatabase<T>(named prefix: String, _ body: (FreshDatabase) async throws -> T) async throws -> T {
        let name = uniqueName(prefix: prefix)
        var configuration = try configuration()
        configuration.database = name
        let database = FreshDatabase(name: name, configuration: configuration, url: url(try serverURL(), database: name))
        try await withServerConnection { try await $0.execute("CREATE DATABASE \(PostgresQuery.quoteIdentifier(name))") }
        return try await withResource(database, close: { try await drop($0.name) }, body)
    }

    /// `DROP DATABASE … WITH (FORCE)`, which ends the sessions still on it, from the server URL's
    /// own database (the maintenance database `postgres` for `scripts/test-database`). It runs in
    /// a task of its own so that a test cancelled at its time limit still drops what it made.
    ///
    /// PostgreSQL 15 makes every drop wait for an immediate checkpoint; drops at the same moment
    /// share one (151 drops, 18–22 checkpoints in a full run).
    private static func drop(_ name: String) async throws {
        try await Task {
            try await withServerConnection { try await $0.execute("DROP DATABASE IF EXISTS \(PostgresQuery.quoteIdentifier(name)) WITH (FORCE)") }
        }.value
    }

    /// A connection to the database the server URL names, closed after `body`.
    private static func withServerConnection(_ body: (PostgresConnection) async throws -> Void) async throws {
        try await withResource(try await PostgresConnection.connect(try configuration(), logger: logger), close: { await $0.close() }, body)
    }

    /// `server` (a `postgres://` URL or a libpq conninfo) pointed at `database` instead: the URL's
    /// path is replaced; a conninfo gets a trailing `dbname`, which libpq lets override earlier ones.
    static func url(_ server: String, database: String) -> String {
        guard let schemeEnd = server.range(of: "://"), server.hasPrefix("postgres") else {
            return "\(server) dbname=\(database)"
        }
        let query = server[schemeEnd.upperBound...].firstIndex(of: "?").map { String(server[$0...]) } ?? ""
        let rest = server[schemeEnd.upperBound...].prefix { $0 != "?" }
        let authority = rest.prefix { $0 != "/" }
        return String(server[..<schemeEnd.upperBound]) + authority + "/" + database + query
    }

    /// A logger for test connections: warnings and worse, to stderr.
    public static var logger: Logger {
        var logger = Logger(label: "longhaul.tests")
        logger.logLevel = .warning
        return logger
    }

    /// `prefix` reduced to lowercase letters, digits and `_`, plus a random suffix; within
    /// PostgreSQL's 63-byte identifier limit.
    static func uniqueName(prefix: String) -> String {
        let allowed = prefix.lowercased().unicodeScalars.map { scalar -> Character in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
        }
        let stem = String(allowed.prefix(40))
        let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return "\(stem.isEmpty ? "test" : stem)_\(suffix)"
    }
}
