import ArgumentParser
import Foundation
import Logging
import LonghaulAPI
import LonghaulCore
import Metrics
import Prometheus
import ServiceLifecycle
import UnixSignals
import Workers

/// `longhaul work`: runs the worker loops until SIGTERM or SIGINT, then stops gracefully.
struct WorkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work", abstract: "Run the worker loops: submit queued jobs, poll running ones, deliver webhooks, rescue and prune.")

    @OptionGroup var options: GlobalOptions

    @OptionGroup var workers: WorkerOptions

    @Option(name: .long, help: "Serve Prometheus metrics on this port at /metrics (127.0.0.1 only).")
    var metricsPort: Int?

    @Option(name: .long, help: "Address for --metrics-port (default 127.0.0.1).")
    var metricsHost = "127.0.0.1"

    func validate() throws {
        if let metricsPort, !(1...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be between 1 and 65535")
        }
    }

    func run() async throws {
        LoggingSetup.bootstrap(options)
        let logger = Logger(label: "longhaul.work")
        try await withDatabaseSession(options, logger: logger, maxConnections: 12) { session in
            let tracing = try TracingSetup.start(logger: logger)
            try await withMantleRuntime(logger: logger) { runtime in
                let workers = try await self.workers.makeWorkerGroup(
                    pool: session.pool, runtime: runtime, tracing: tracing != nil, logger: logger)
                // The exporter first: the group stops services in reverse, so it sends the last spans.
                var services: [any Service] = (tracing.map { [$0.exporter] } ?? []) + [workers]
                if let metricsPort {
                    let registry = PrometheusCollectorRegistry()
                    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
                    services.append(MetricsServer(registry: registry, host: metricsHost, port: metricsPort, logger: logger))
                    Console.note("metrics at http://\(metricsHost):\(metricsPort)/metrics")
                }
                let group = ServiceGroup(
                    configuration: .init(
                        services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
                try await group.run()
            }
            await tracing?.shutdown()
        }
    }
}
