import Foundation
public import HTTPClient

/// Where and how spans are exported, read from the standard `OTEL_*` variables. Nil from
/// `init(environment:)` means tracing is off: no endpoint is set, `OTEL_SDK_DISABLED=true`, or
/// `OTEL_TRACES_EXPORTER=none`.
public struct TelemetryConfiguration: Sendable {
    /// The full URL spans are POSTed to (`…/v1/traces`).
    public var tracesEndpoint: String
    /// Sent with every export (`OTEL_EXPORTER_OTLP_HEADERS`): often a collector's API key, so
    /// never logged.
    public var headers: HTTPHeaders
    public var timeout: Duration
    /// `service.name` first, then `OTEL_RESOURCE_ATTRIBUTES`.
    public var resource: [(String, String)]
    public var scheduleDelay: Duration
    public var maxQueueSize: Int
    public var maxBatchSize: Int

    /// A setting that cannot be honoured, named with its fix.
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads the variables; throws `Invalid` for a value Longhaul cannot honour (a gRPC protocol,
    /// a malformed number or header list), naming the variable.
    public init?(environment: [String: String], serviceName: String = "longhaul") throws(Invalid) {
        func value(_ name: String) -> String? {
            environment[name].map { $0.trimmingWhitespace }.flatMap { $0.isEmpty ? nil : $0 }
        }
        if value("OTEL_SDK_DISABLED")?.lowercased() == "true" { return nil }
        switch value("OTEL_TRACES_EXPORTER")?.lowercased() {
        case nil, "otlp": break
        case "none": return nil
        case let other?:
            throw Invalid(description: "OTEL_TRACES_EXPORTER=\(other) is not supported: Longhaul exports traces over OTLP only; set it to otlp or none")
        }
        if let traces = value("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
            tracesEndpoint = traces
        } else if let base = value("OTEL_EXPORTER_OTLP_ENDPOINT") {
            tracesEndpoint = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/v1/traces"
        } else {
            return nil
        }
        guard tracesEndpoint.hasPrefix("http://") || tracesEndpoint.hasPrefix("https://") else {
            throw Invalid(description: "OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL, such as http://localhost:4318")
        }
        for name in ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"] {
            if let proto = value(name), proto != "http/protobuf" {
                throw Invalid(
                    description: "\(name)=\(proto) is not supported: Longhaul exports over OTLP/HTTP with protobuf; set it to http/protobuf (collectors take it on port 4318)")
            }
        }
        headers = HTTPHeaders()
        for name in ["OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"] {
            for (key, item) in try Self.pairs(value(name), variable: name) { headers[key] = item }
        }
        func milliseconds(_ name: String, default fallback: Int) throws(Invalid) -> Duration {
            guard let text = value(name) else { return .milliseconds(fallback) }
            guard let number = Int(text), number > 0 else {
                throw Invalid(description: "\(name) must be a positive number of milliseconds, not '\(text)'")
            }
            return .milliseconds(number)
        }
        func count(_ name: String, default fallback: Int) throws(Invalid) -> Int {
            guard let text = value(name) else { return fallback }
            guard let number = Int(text), number > 0 else { throw Invalid(description: "\(name) must be a positive whole number, not '\(text)'") }
            return number
        }
        timeout = try milliseconds(
            value("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT") != nil ? "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT" : "OTEL_EXPORTER_OTLP_TIMEOUT",
            default: 10_000)
        scheduleDelay = try milliseconds("OTEL_BSP_SCHEDULE_DELAY", default: 5_000)
        maxQueueSize = try count("OTEL_BSP_MAX_QUEUE_SIZE", default: 2_048)
        maxBatchSize = min(maxQueueSize, try count("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", default: 512))
        let attributes = try Self.pairs(value("OTEL_RESOURCE_ATTRIBUTES"), variable: "OTEL_RESOURCE_ATTRIBUTES")
        let name = value("OTEL_SERVICE_NAME") ?? attributes.first { $0.0 == "service.name" }?.1 ?? serviceName
        resource = [("service.name", name)] + attributes.filter { $0.0 != "service.name" }
    }

    /// `key=value,key=value` with percent-encoded values (the W3C Baggage form the spec uses).
    static func pairs(_ text: String?, variable: String) throws(Invalid) -> [(String, String)] {
        guard let text else { return [] }
        var out: [(String, String)] = []
        for item in text.split(separator: ",") where !item.allSatisfy(\.isWhitespace) {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, case let key = parts[0].trimmingWhitespace, !key.isEmpty else {
                // The value may be a secret: name the key's position, never the text.
                throw Invalid(description: "\(variable) must be a comma-separated list of key=value pairs; one entry has no '='")
            }
            out.append((key, parts[1].trimmingWhitespace.removingPercentEncoding ?? parts[1].trimmingWhitespace))
        }
        return out
    }
}

extension StringProtocol {
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
