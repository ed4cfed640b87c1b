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
/// ``makeFreshDatabase(named:)`` so that tests run in parallel without seeing each other's rows.
public struct TestDatabase {
    /// The environment variable naming the test server.
    public static let environmentVariable = "LONGHAUL_TEST_DATABASE_URL"

    /// Why a test that needs PostgreSQL cannot run.
    public struct Unavailable: Error, CustomStringConvertible {
        /// What to do about it.
        public let description: String
    }

    /// The test server's configuration, from `LONGHAUL_TEST_DATABASE_URL`; throws (so the test
    /// fails, never skips) when it is unset.
    public static func configuration() throws -> PostgresConfiguration {
        guard let url = getenv(environmentVariable).map({ String(cString: $0) }), !url.isEmpty else {
            throw Unavailable(
                description: """
                    \(environmentVariable) is not set, and this test needs a real PostgreSQL. \
                    Run the tests with scripts/test, or start a server yourself: \
                    d=$(mktemp -d); chmod 755 $d; export \(environmentVariable)=$(scripts/test-database start $d/pg)
                    """
            )
        }
        return PostgresConfiguration(url)
    }

    /// Creates a new, uniquely named database on the test server (`<prefix>_<random>`) and returns
    /// a configuration pointing at it. Databases are left for the throwaway server to discard.
    public static func makeFreshDatabase(named prefix: String) async throws -> PostgresConfiguration {
        var configuration = try configuration()
        configuration.database = try await createDatabase(prefix: prefix)
        return configuration
    }

    /// Like ``makeFreshDatabase(named:)``, but returns a connection string for the new database,
    /// for a child process's `DATABASE_URL` (a configuration cannot cross a process boundary).
    public static func makeFreshDatabaseURL(named prefix: String) async throws -> String {
        let server = try serverURL()
        return connectionString(server, database: try await createDatabase(prefix: prefix))
    }

    /// `server` (a `postgres://` URL or a conninfo string) pointed at `database` instead.
    static func connectionString(_ server: String, database: String) -> String {
        let lower = server.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://"),
            var components = URLComponents(string: server)
        {
            components.path = "/" + database
            if let url = components.string { return url }
        }
        // In a conninfo string a later keyword overrides an earlier one; names here need no quoting.
        return server + " dbname=" + database
    }

    private static func serverURL() throws -> String {
        guard let url = getenv(environmentVariable).map({ String(cString: $0) }), !url.isEmpty else {
            _ = try configuration()  // throws the explanation
            return ""
        }
        return url
    }

    private static func createDatabase(prefix: String) async throws -> String {
        let name = uniqueName(prefix: prefix)
        let connection = try await PostgresConnection.connect(try configuration(), logger: logger)
        do {
            try await connection.execute("CREATE DATABASE \(PostgresQuery.quoteIdentifier(name))")
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
        return name
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
