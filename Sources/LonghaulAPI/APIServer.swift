import Foundation
public import Hummingbird
public import Logging
public import LonghaulCore
import LonghaulDashboard
import OpenAPIHummingbird
import OpenAPIRuntime
public import Postgres
public import Prometheus
public import ServiceLifecycle

/// Creates a project's Mantle project (for `create_mantle_project`); nil when no Mantle endpoint is configured.
public typealias MantleProvisioning = @Sendable (Project) async throws -> Project

/// The REST API: the routes generated from `openapi.yaml` behind authentication, body limits and
/// one error shape, as a `Service` for `longhaul serve`.
public struct APIServer: Service {
    let configuration: APIConfiguration
    let pool: PostgresPool
    let registry: PrometheusCollectorRegistry
    let provisioner: MantleProvisioning?
    /// Asks a project's Mantle endpoint before `POST /v1/batches` enqueues; nil asks nothing.
    let preflight: EndpointPreflight?
    let logger: Logger
    /// Called with the port once the server listens (the one picked when asked for port 0).
    let onListening: @Sendable (Int) async -> Void

    public init(
        configuration: APIConfiguration, pool: PostgresPool, registry: PrometheusCollectorRegistry,
        provisioner: MantleProvisioning? = nil, preflight: EndpointPreflight? = nil, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.onListening = onListening
        self.configuration = configuration
        self.pool = pool
        self.registry = registry
        self.provisioner = provisioner
        self.preflight = preflight
        self.logger = logger
    }

    /// The application, ready to run or to test with `HummingbirdTesting`.
    public func makeApplication() throws -> some ApplicationProtocol {
        let document = try OpenAPIDocument.load()
        let router = Router()
        if configuration.tracing { router.add(middleware: TracingMiddleware()) }
        router.add(middleware: HTTPErrorMiddleware(routes: document.routes))
        router.add(middleware: MetricsMiddleware())
        let lookup = CallerLookup(tokens: TokenStore(pool: pool), adminToken: configuration.adminToken)
        let lookups = RequestLookups()
        router.add(middleware: AuthenticationMiddleware(authenticator: Authenticator(lookup: lookup, lookups: lookups), logger: logger))
        router.add(middleware: BodyLimitMiddleware(limits: configuration.bodyLimits))
        router.add(middleware: RequestValidationMiddleware(document: document))
        let jobs = JobStore(pool: pool, publicBaseURL: configuration.publicBaseURL)
        let handler = APIHandler(
            pool: pool, jobs: jobs, enqueues: EnqueueGroupCommit(store: jobs), batches: BatchStore(pool: pool, jobs: jobs), projects: ProjectStore(pool: pool),
            tokens: TokenStore(pool: pool),
            usage: UsageStore(pool: pool), webhooks: WebhookStore(pool: pool), deliveries: DeliveryStore(pool: pool),
            configuration: configuration, document: document, registry: registry, provisioner: provisioner, preflight: preflight,
            lookups: lookups, logger: logger)
        Dashboard(
            pool: pool, lookup: lookup, jobs: jobs, configuration: DashboardConfiguration(publicBaseURL: configuration.publicBaseURL),
            logger: logger
        ).addRoutes(to: router)
        let errors = ErrorMiddleware(logger: logger)
        let routes = GeneratedRoutes(router: router, routes: document.routes, fast: FastRoutes(handler: handler, errors: errors))
        try handler.registerHandlers(
            on: routes, serverURL: URL(fileURLWithPath: "/"), configuration: Self.openAPIConfiguration, middlewares: [errors])
        let missing = FastRoutes.served.subtracting(routes.installedFastRoutes)
        guard missing.isEmpty else { throw APIServerError.fastRoutesMissing(missing.sorted()) }
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "longhaul"),
            onServerRunning: { [onListening] channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// How the generated routes read and write JSON. Slashes unescaped, as `Job+JSONBytes` writes
    /// them (and as people read URLs and paths).
    static let openAPIConfiguration = Configuration(
        dateTranscoder: RFC3339DateTranscoder(), jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])

    /// Serves until the ServiceGroup it runs in shuts down (`longhaul serve`'s, which owns the
    /// signals). Not `runService()`: that wraps the server in a group of its own with its own
    /// SIGTERM handler, and when that handler won the race the server returned before the outer
    /// group had asked it to — "a service has finished unexpectedly", exit 1 on a plain SIGTERM.
    public func run() async throws {
        try await makeApplication().run()
    }
}

/// A fault in how the server was put together, not in any request.
enum APIServerError: Error, CustomStringConvertible {
    /// The generated code no longer registers these operations where `GeneratedRoutes` looks for them.
    case fastRoutesMissing([String])

    var description: String {
        switch self {
        case .fastRoutesMissing(let operations):
            "the generated routes did not register \(operations.joined(separator: ", ")), so their fast routes were not installed; update FastRoutes to match the generated code"
        }
    }
}
