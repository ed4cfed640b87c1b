import ArgumentParser
import Foundation
import LonghaulCore

/// `longhaul db start|stop|status|url`: the embedded PostgreSQL under `$LONGHAUL_HOME`.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Manage the embedded PostgreSQL (used when DATABASE_URL is not set).",
        subcommands: [Start.self, Stop.self, Status.self, URL.self])

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start the embedded PostgreSQL (creating it the first time).")
        func run() async throws {
            let database = EmbeddedPostgres.fromEnvironment()
            let started = try await database.start()
            print(started.startedHere ? "started: \(started.url)" : "already running: \(started.url)")
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded PostgreSQL.")
        func run() async throws {
            try await EmbeddedPostgres.fromEnvironment().stop()
            print("stopped")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Say whether the embedded PostgreSQL exists and runs.")
        func run() async throws {
            let database = EmbeddedPostgres.fromEnvironment()
            switch try await database.status() {
            case .notInitialized: print("not created yet (under \(database.home.path)); `longhaul db start` creates it")
            case .stopped: print("stopped (under \(database.home.path))")
            case .running(let url): print("running: \(url)")
            }
        }
    }

    struct URL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the embedded database's URL (for psql or DATABASE_URL).")
        func run() async throws {
            let database = EmbeddedPostgres.fromEnvironment()
            print(database.url(clusterDirectory: try database.clusterDirectory))
        }
    }
}
