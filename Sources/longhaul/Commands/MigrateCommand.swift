import ArgumentParser
import Foundation
import Logging
import LonghaulCore

/// `longhaul migrate [--status]`: applies pending schema migrations, or lists them.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending database migrations (or list them with --status).")

    @OptionGroup var options: GlobalOptions

    @Flag(name: .long, help: "List migrations and whether each is applied, without changing anything.")
    var status = false

    func run() async throws {
        LoggingSetup.bootstrap(options)
        let logger = Logger(label: "longhaul.migrate")
        try await withDatabaseSession(options, logger: logger, maxConnections: 2, migrate: false, stopEmbedded: false) { session in
            try await report(Migrator(pool: session.pool), logger: logger)
        }
    }

    private func report(_ migrator: Migrator, logger: Logger) async throws {
        if status {
            for entry in try await migrator.status() {
                let when = entry.appliedAt.map { " \($0.formatted(.iso8601))" } ?? ""
                print("\(entry.name)  \(entry.state.rawValue)\(when)")
            }
        } else {
            let applied = try await migrator.migrate(logger: logger)
            print(applied.isEmpty ? "database is up to date" : "applied: \(applied.joined(separator: ", "))")
        }
    }
}
