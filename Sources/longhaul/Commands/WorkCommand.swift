import ArgumentParser
import Foundation
import Logging
import LonghaulCore
import ServiceLifecycle
import UnixSignals
import Workers

/// `longhaul work`: runs the worker loops until SIGTERM or SIGINT, then stops gracefully.
struct WorkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work", abstract: "Run the worker loops: submit queued jobs, poll running ones, deliver webhooks, rescue and prune.")

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, parsing: .upToNextOption, help: "Loops to run (comma or space separated): submit, poll, maintain, deliver.")
    var roles: [String] = ["submit,poll,maintain,deliver"]

    @Option(name: .long, help: "Concurrent Mantle calls per loop (default: 64 creates, 128 retrieves).")
    var concurrency: Int?

    func validate() throws {
        _ = try parsedRoles()
        if let concurrency, concurrency < 1 || concurrency > 10_000 {
            throw ValidationError("--concurrency must be between 1 and 10000")
        }
    }

    func parsedRoles() throws -> Set<WorkerRole> {
        let names = roles.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return Set(try names.map { name in
            guard let role = WorkerRole(rawValue: name) else {
                throw ValidationError("unknown role '\(name)'; choose from submit, poll, maintain, deliver")
            }
            return role
        })
    }

    func run() async throws {
        LoggingSetup.bootstrap(options)
        let logger = Logger(label: "longhaul.work")
        let session = try await DatabaseSession.open(options, logger: logger, maxConnections: 12)
        let runtime = try await MantleRuntime.start(logger: logger)
        var configuration: WorkerConfiguration
        do {
            configuration = try WorkerConfiguration.fromEnvironment()
        } catch {
            throw ValidationError("\(error)")
        }
        if let concurrency {
            configuration.submitConcurrency = concurrency
            configuration.pollConcurrency = concurrency
        }
        let store = JobStore(pool: session.pool)
        let projects = ProjectStore(pool: session.pool)
        _ = try await projects.ensureDefault()
        let workers = WorkerGroup(
            store: store, gateway: runtime.gateway(projects: projects, logger: logger), roles: try parsedRoles(),
            configuration: configuration, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [workers], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await runtime.shutdown()
            await session.close()
            throw error
        }
        await runtime.shutdown()
        await session.close()
    }
}
