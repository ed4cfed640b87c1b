import HTTPClient
import Testing

@testable import Telemetry

/// The W3C `traceparent` rules a receiver must follow, and the `OTEL_*` variables as the
/// OpenTelemetry specification defines them.
@Suite struct TraceParentTests {
    @Test func aValidHeaderRoundTrips() throws {
        let header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let parent = try #require(TraceParent(header))
        #expect(parent.traceIDHex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(parent.spanIDHex == "00f067aa0ba902b7")
        #expect(parent.isSampled)
        #expect(parent.description == header)
    }

    @Test(arguments: [
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero span id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper case
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // forbidden version
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  // short trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 has four fields
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "",
    ])
    func anInvalidHeaderIsIgnored(_ header: String) {
        #expect(TraceParent(header) == nil)
    }

    @Test func aLaterVersionMayAppendFields() {
        #expect(TraceParent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-later")?.isSampled == false)
    }

    @Test func tracingIsOffWithoutAnEndpointOrWhenDisabled() throws {
        #expect(try TelemetryConfiguration(environment: [:]) == nil)
        #expect(try TelemetryConfiguration(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_SDK_DISABLED": "true"]) == nil)
        #expect(try TelemetryConfiguration(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_EXPORTER": "none"]) == nil)
    }

    @Test func theEndpointHeadersAndResourceAreRead() throws {
        let configuration = try #require(
            try TelemetryConfiguration(environment: [
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/", "OTEL_EXPORTER_OTLP_HEADERS": "api-key=s%3Dcret, team = ops",
                "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=prod,service.name=ignored", "OTEL_SERVICE_NAME": "lh-worker",
            ]))
        #expect(configuration.tracesEndpoint == "http://collector:4318/v1/traces")
        #expect(configuration.headers["api-key"] == "s=cret" && configuration.headers["team"] == "ops")
        #expect(configuration.resource.map { "\($0.0)=\($0.1)" } == ["service.name=lh-worker", "deployment.environment=prod"])
        let signal = try #require(try TelemetryConfiguration(environment: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://x/traces"]))
        #expect(signal.tracesEndpoint == "https://x/traces")
    }

    @Test func aSettingLonghaulCannotHonourIsRefusedByName() {
        #expect(throws: TelemetryConfiguration.Invalid.self) {
            try TelemetryConfiguration(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"])
        }
        do {
            _ = try TelemetryConfiguration(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c", "OTEL_EXPORTER_OTLP_HEADERS": "secret-without-equals"])
            Issue.record("a malformed header list is refused")
        } catch {
            #expect(error.description.contains("OTEL_EXPORTER_OTLP_HEADERS") && !error.description.contains("secret-without-equals"))
        }
    }
}
