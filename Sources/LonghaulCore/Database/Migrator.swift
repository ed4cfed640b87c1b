public import Foundation
public import Logging
public import Postgres

/// Applies `Migration.all` to a database — pending files in order, each in its own transaction,
/// under an advisory lock so two processes migrating at once is safe, recording name and checksum —
/// then each of `Migration.functions` whose text differs from what was last applied.
public struct Migrator: Sendable {
    /// What `status()` reports for each known or recorded migration.
    public struct Entry: Sendable, Equatable {
        public enum State: String, Sendable { case applied, pending, edited, unknown }
        public var name: String
        public var state: State
        public var appliedAt: Date?
    }

    let pool: PostgresPool
    let migrations: [Migration]
    let functions: [Migration]
    /// Arbitrary constant naming Longhaul's migration lock ("lhmg").
    static let lockKey: Int64 = 0x6C68_6D67

    public init(pool: PostgresPool, migrations: [Migration] = Migration.all, functions: [Migration] = Migration.functions) {
        self.pool = pool
        self.migrations = migrations
        self.functions = functions
    }

    /// Applies what is pending and returns the names applied (empty when up to date).
    @discardableResult
    public func migrate(logger: Logger) async throws -> [String] {
        try await pool.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))")
            do {
                let applied = try await apply(on: connection, logger: logger)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))")
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))")
                throw error
            }
        }
    }

    /// Every migration and function with its state; `edited` means a numbered migration changed
    /// after it was applied, `pending` for a function that it changed since (it will be applied again).
    public func status() async throws -> [Entry] {
        try await pool.withConnection { connection in
            try await ensureLedger(on: connection)
            let recorded = try await ledger(on: connection)
            var entries = migrations.map { migration -> Entry in
                guard let row = recorded[migration.name] else { return Entry(name: migration.name, state: .pending) }
                return Entry(name: migration.name, state: migration.matches(recorded: row.checksum) ? .applied : .edited, appliedAt: row.appliedAt)
            }
            entries += functions.map { function in
                guard let row = recorded[function.name], row.checksum == function.checksum else {
                    return Entry(name: function.name, state: .pending, appliedAt: recorded[function.name]?.appliedAt)
                }
                return Entry(name: function.name, state: .applied, appliedAt: row.appliedAt)
            }
            let known = Set((migrations + functions).map(\.name))
            for (name, row) in recorded where !known.contains(name) {
                entries.append(Entry(name: name, state: .unknown, appliedAt: row.appliedAt))
            }
            return entries.sorted { $0.name < $1.name }
        }
    }

    /// True when every migration is applied and none was edited (what `/readyz` checks).
    public func isCurrent() async throws -> Bool {
        try await status().allSatisfy { $0.state == .applied }
    }

    private func apply(on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        try await ensureLedger(on: connection)
        let recorded = try await ledger(on: connection)
        var applied: [String] = []
        for migration in migrations {
            if let row = recorded[migration.name] {
                guard migration.matches(recorded: row.checksum) else { throw MigrationError.edited(migration.name) }
                continue
            }
            try await apply(migration, on: connection, logger: logger)
            applied.append(migration.name)
        }
        for function in functions where recorded[function.name]?.checksum != function.checksum {
            try await apply(function, on: connection, logger: logger)
            applied.append(function.name)
        }
        return applied
    }

    /// Runs one file and records its checksum, in one transaction.
    private func apply(_ migration: Migration, on connection: PostgresConnection, logger: Logger) async throws {
        logger.info("applying migration", metadata: ["migration": "\(migration.name)"])
        try await connection.execute("BEGIN")
        do {
            try await connection.execute(migration.sql)
            try await connection.query("""
                INSERT INTO longhaul_migrations (name, checksum) VALUES (\(migration.name), \(migration.checksum))
                ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()
                """)
            try await connection.execute("COMMIT")
        } catch {
            try? await connection.execute("ROLLBACK")
            throw MigrationError.failed(migration.name, error)
        }
    }

    private func ensureLedger(on connection: PostgresConnection) async throws {
        try await connection.execute("""
            CREATE TABLE IF NOT EXISTS longhaul_migrations (
                name text PRIMARY KEY,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
    }

    private func ledger(on connection: PostgresConnection) async throws -> [String: (checksum: String, appliedAt: Date)] {
        let rows = try await connection.query("SELECT name, checksum, applied_at FROM longhaul_migrations")
        var result: [String: (checksum: String, appliedAt: Date)] = [:]
        for row in rows {
            result[try row.decode("name", as: String.self)] = (try row.decode("checksum"), try row.decode("applied_at"))
        }
        return result
    }
}

/// Why migrating stopped.
public enum MigrationError: Error, CustomStringConvertible {
    case edited(String)
    case failed(String, any Error)

    public var description: String {
        switch self {
        case .edited(let name):
            "migration \(name) was edited after it was applied to this database (its checksum differs). "
                + "Applied migrations must never change: restore the file and put the change in a new migration."
        case .failed(let name, let error):
            "migration \(name) failed and was rolled back: \(error)"
        }
    }
}
