import ArgumentParser
import Foundation
import HTTPClient
import Logging
import ServiceLifecycle
import Telemetry
import Tracing

/// OpenTelemetry for `serve`, `work` and `batch`: when the standard `OTEL_EXPORTER_OTLP_ENDPOINT` (or
/// `…_TRACES_ENDPOINT`) is set, installs Longhaul's tracer for the process and hands back the
/// exporter, to run first in the service group (so it stops last and sends the final spans).
/// Unset, nothing is installed: the library's no-op tracer stays, and no span is made.
struct TracingSetup {
    let exporter: SpanExporter
    private let http: HTTPClient

    /// Nil when tracing is off; throws a `ValidationError` naming a bad `OTEL_*` variable.
    static func start(logger: Logger) throws -> TracingSetup? {
        let configuration: TelemetryConfiguration
        do {
            guard let read = try TelemetryConfiguration(environment: ProcessInfo.processInfo.environment) else { return nil }
            configuration = read
        } catch {
            throw ValidationError(error.description)
        }
        // A client of its own: a slow collector must not hold Mantle's or the webhooks' connections.
        let http = HTTPClient(configuration: .init(maxConnectionsPerHost: 2, userAgent: "Longhaul-OTLP/1.0"), logger: logger)
        let exporter = SpanExporter(configuration: configuration, http: http, logger: logger)
        InstrumentationSystem.bootstrap(SpanTracer(exporter: exporter))
        Console.note("tracing: spans go to \(Self.redacted(configuration.tracesEndpoint)) (OTLP/HTTP)")
        return TracingSetup(exporter: exporter, http: http)
    }

    /// Runs `body` as the root span `name` of a command that runs once (`longhaul batch`), exporting
    /// while it runs and sending the last spans before it returns; bare (`span` nil) when tracing
    /// is off or not `enabled`.
    static func rootSpan<T: Sendable>(
        _ name: String, enabled: Bool = true, logger: Logger, _ body: ((any Span)?) async throws -> T
    ) async throws -> T {
        guard enabled, let tracing = try start(logger: logger) else { return try await body(nil) }
        let group = ServiceGroup(configuration: .init(services: [tracing.exporter], logger: logger))
        async let exporting: Void = { try? await group.run() }()
        let result: Result<T, any Error>
        do {
            result = .success(try await withSpan(name, ofKind: .internal) { span in try await body(span) })
        } catch {
            result = .failure(error)
        }
        await group.triggerGracefulShutdown()
        await exporting
        await tracing.shutdown()
        return try result.get()
    }

    func shutdown() async {
        await http.shutdown()
    }

    /// The endpoint without any user:password part, which may be a collector's credential.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.user != nil || components.password != nil else { return url }
        components.user = nil
        components.password = nil
        return components.string ?? "the configured endpoint"
    }
}
