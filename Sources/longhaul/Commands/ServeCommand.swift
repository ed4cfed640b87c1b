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

/// `longhaul serve`: the REST API, alone or with the worker loops in the same process.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the REST API (and, with --with-workers, run the worker loops too).")

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Flag(name: .long, help: "Also run the worker loops (submit, poll, deliver, maintain) in this process.")
    var withWorkers = false

    @OptionGroup(title: "Worker options (with --with-workers)") var workers: WorkerOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        LoggingSetup.bootstrap(options)
        let logger = Logger(label: "longhaul.serve")
        try await withDatabaseSession(options, logger: logger, maxConnections: withWorkers ? 24 : 16) { session in
            // Mantle is needed by the workers, and by `create_mantle_project` when an endpoint is configured.
            if try withWorkers || DefaultEndpoint.fromEnvironment() != nil {
                try await withMantleRuntime(logger: logger) { runtime in try await serve(session: session, runtime: runtime, logger: logger)
                }
            } else {
                try await serve(session: session, runtime: nil, logger: logger)
            }
        }
    }

    /// Runs the API (and the workers, with `--with-workers` and a runtime) until SIGTERM or SIGINT.
    private func serve(session: DatabaseSession, runtime: MantleRuntime?, logger: Logger) async throws {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let adminToken = ProcessInfo.processInfo.environment["LONGHAUL_ADMIN_TOKEN"]
        try await announceAdminAccess(configured: adminToken, tokens: TokenStore(pool: session.pool))
        _ = try await ProjectStore(pool: session.pool).ensureDefault()

        let tracing = try TracingSetup.start(logger: logger)
        // The exporter first: the group stops services in reverse, so it sends the last spans.
        var services: [any Service] = tracing.map { [$0.exporter] } ?? []
        if withWorkers, let runtime {
            services.append(
                try await workers.makeWorkerGroup(pool: session.pool, runtime: runtime, tracing: tracing != nil, logger: logger))
        }
        let provisioning: MantleProvisioning? = runtime.map { runtime in
            let provisioner = MantleProjectProvisioner(projects: ProjectStore(pool: session.pool), http: runtime.http, logger: logger)
            return { project in try await provisioner.provision(project, using: runtime.defaultEndpoint) }
        }
        // Only a process that talks to Mantle asks it before enqueuing: an API without a runtime
        // (no workers, no OPENAI_BASE_URL) makes no Mantle calls at all.
        let preflight = runtime.map { runtime in
            EndpointPreflight(
                projects: ProjectStore(pool: session.pool), http: runtime.http, defaultEndpoint: runtime.defaultEndpoint, logger: logger)
        }
        let api = APIServer(
            configuration: APIConfiguration(
                host: host, port: port, adminToken: adminToken, jobLimits: .fromEnvironment(), publicBaseURL: PublicURL.configured,
                tracing: tracing != nil),
            pool: session.pool,
            registry: registry, provisioner: provisioning, preflight: preflight, logger: logger,
            onListening: { [host, withWorkers] port in
                Console.note(
                    "API listening on http://\(host):\(port) (document at /openapi.json)\(withWorkers ? ", with the worker loops" : "")")
            })
        services.append(api)
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        await tracing?.shutdown()
    }

    /// Says how to get in when nobody can yet: no `LONGHAUL_ADMIN_TOKEN` and no token stored.
    /// (It does not mint one itself: a secret printed by a service lands in its logs.)
    private func announceAdminAccess(configured: String?, tokens: TokenStore) async throws {
        if let configured, !configured.isEmpty { return }
        guard try await tokens.list(projectID: nil).allSatisfy({ $0.revokedAt != nil }) else { return }
        Console.note("no API token exists yet: create one with 'longhaul tokens create --admin', or set LONGHAUL_ADMIN_TOKEN")
    }
}
