public import Tracing
import ServiceContextModule
public import Instrumentation

/// The tracer Longhaul installs when OpenTelemetry export is configured: spans continue the
/// `TraceParent` in their context (or start a trace), and finished ones go to `exporter`.
/// W3C `traceparent` in and out; every span is sampled (a job makes a handful of spans).
public struct SpanTracer: Tracer {
    public typealias Span = RecordingSpan
    let exporter: SpanExporter

    public init(exporter: SpanExporter) {
        self.exporter = exporter
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> ServiceContext, ofKind kind: SpanKind, at instant: @autoclosure () -> Instant,
        function: String, file fileID: String, line: UInt
    ) -> RecordingSpan {
        let parentContext = context()
        let parent = parentContext.traceParent
        var generator = SystemRandomNumberGenerator()
        let spanID = Self.randomID(count: 8, using: &generator)
        let traceParent = TraceParent(
            traceID: parent?.traceID ?? Self.randomID(count: 16, using: &generator), spanID: spanID, flags: parent?.flags ?? 1)
        return RecordingSpan(
            name: operationName, context: parentContext, traceParent: traceParent, parentSpanID: parent?.spanID, kind: kind,
            startNanoseconds: instant().nanosecondsSinceEpoch, onEnd: { [exporter] in exporter.add($0) })
    }

    public func forceFlush() {
        exporter.flushSoon()
    }

    public func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        if let value = extractor.extract(key: "traceparent", from: carrier), let parent = TraceParent(value) {
            context.traceParent = parent
        }
    }

    public func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        if let parent = context.traceParent {
            injector.inject(parent.description, forKey: "traceparent", into: &carrier)
        }
    }

    /// Random, never all zero (the W3C spec makes all-zero ids invalid).
    static func randomID(count: Int, using generator: inout some RandomNumberGenerator) -> [UInt8] {
        while true {
            let bytes = (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            if bytes.contains(where: { $0 != 0 }) { return bytes }
        }
    }
}
