import Tracing

/// `ExportTraceServiceRequest` (opentelemetry-proto, `collector/trace/v1`) for a batch of spans
/// from one process: one ResourceSpans with the service's resource, one ScopeSpans.
enum OTLPTraceRequest {
    static func encode(_ spans: [FinishedSpan], resource: [(String, String)], scope: String) -> [UInt8] {
        var request = ProtobufWriter()
        request.message(1) { resourceSpans in  // resource_spans
            resourceSpans.message(1) { message in  // resource
                for (key, value) in resource { message.message(1) { $0.keyValue(key, .string(value)) } }
            }
            resourceSpans.message(2) { scopeSpans in  // scope_spans
                scopeSpans.message(1) { $0.string(1, scope) }  // scope.name
                for span in spans { scopeSpans.message(2) { $0.span(span) } }
            }
        }
        return request.bytes
    }
}

extension ProtobufWriter {
    /// `trace.v1.Span`.
    mutating func span(_ span: FinishedSpan) {
        data(1, span.traceParent.traceID)
        data(2, span.traceParent.spanID)
        if let parent = span.parentSpanID { data(4, parent) }
        string(5, span.name)
        uint(6, span.kind.otlpValue)
        fixed64(7, span.startNanoseconds)
        fixed64(8, max(span.endNanoseconds, span.startNanoseconds))
        span.attributes.forEach { key, value in message(9) { $0.keyValue(key, value) } }
        for event in span.events {
            message(11) { writer in
                writer.fixed64(1, event.nanosecondsSinceEpoch)
                writer.string(2, event.name)
                event.attributes.forEach { key, value in writer.message(3) { $0.keyValue(key, value) } }
            }
        }
        if let status = span.status {
            message(15) { writer in
                if let message = status.message { writer.string(2, message) }
                writer.uint(3, status.code == .ok ? 1 : 2)
            }
        }
    }

    /// `common.v1.KeyValue`.
    mutating func keyValue(_ key: String, _ value: SpanAttribute) {
        string(1, key)
        message(2) { $0.anyValue(value) }
    }

    /// `common.v1.AnyValue`.
    mutating func anyValue(_ value: SpanAttribute) {
        switch value {
        case .string(let text): string(1, text)
        case .bool(let flag): bool(2, flag)
        case .int32(let number): int(3, Int64(number))
        case .int64(let number): int(3, number)
        case .double(let number): double(4, number)
        case .stringConvertible(let item): string(1, item.description)
        case .stringArray(let items): array(items.map(SpanAttribute.string))
        case .int64Array(let items): array(items.map(SpanAttribute.int64))
        case .int32Array(let items): array(items.map(SpanAttribute.int32))
        case .doubleArray(let items): array(items.map(SpanAttribute.double))
        case .boolArray(let items): array(items.map(SpanAttribute.bool))
        case .stringConvertibleArray(let items): array(items.map { SpanAttribute.string($0.description) })
        default: string(1, "\(value)")
        }
    }

    private mutating func array(_ values: [SpanAttribute]) {
        message(5) { list in
            for value in values { list.message(1) { $0.anyValue(value) } }
        }
    }
}

extension SpanKind {
    /// `Span.SpanKind`: INTERNAL 1, SERVER 2, CLIENT 3, PRODUCER 4, CONSUMER 5.
    var otlpValue: UInt64 {
        switch self {
        case .internal: 1
        case .server: 2
        case .client: 3
        case .producer: 4
        case .consumer: 5
        }
    }
}
