public import Tracing

/// A span that has ended: everything the exporter sends, as plain values.
public struct FinishedSpan: Sendable {
    public var name: String
    public var kind: SpanKind
    public var traceParent: TraceParent
    /// The parent's span id; nil for a root span.
    public var parentSpanID: [UInt8]?
    public var startNanoseconds: UInt64
    public var endNanoseconds: UInt64
    public var attributes: SpanAttributes
    public var events: [SpanEvent]
    public var status: SpanStatus?
}
