public import Logging
import Hummingbird
public import Prometheus
public import ServiceLifecycle

/// Serves the process's metrics in Prometheus text format at `GET /metrics` (and `GET /healthz`),
/// for `longhaul work --metrics-port N`; the API server serves the same registry itself.
public struct MetricsServer: Service {
    let registry: PrometheusCollectorRegistry
    let host: String
    let port: Int
    let logger: Logger

    public init(registry: PrometheusCollectorRegistry, host: String = "127.0.0.1", port: Int, logger: Logger) {
        self.registry = registry
        self.host = host
        self.port = port
        self.logger = logger
    }

    public func run() async throws {
        let router = Router()
        router.get("metrics") { [registry] _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("healthz") { _, _ in "ok" }
        let application = Application(router: router, configuration: .init(address: .hostname(host, port: port)), logger: logger)
        // `run()`, not `runService()`: the command's ServiceGroup owns the signals (see APIServer.run).
        try await application.run()
    }
}
