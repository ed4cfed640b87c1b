public import Tracing
import Synchronization

/// A span being recorded: a reference type (a `Span` is shared by every holder), its mutable
/// parts under one lock, handed to `onEnd` once when it ends.
public final class RecordingSpan: Span {
    public let context: ServiceContext
    private let traceParent: TraceParent
    private let parentSpanID: [UInt8]?
    private let kind: SpanKind
    private let startNanoseconds: UInt64
    private let onEnd: @Sendable (FinishedSpan) -> Void

    private struct State {
        var name: String
        var attributes: SpanAttributes = [:]
        var events: [SpanEvent] = []
        var status: SpanStatus?
        var isRecording = true
    }
    private let state: Mutex<State>

    init(
        name: String, context: ServiceContext, traceParent: TraceParent, parentSpanID: [UInt8]?, kind: SpanKind,
        startNanoseconds: UInt64, onEnd: @escaping @Sendable (FinishedSpan) -> Void
    ) {
        var context = context
        context.traceParent = traceParent
        self.context = context
        self.traceParent = traceParent
        self.parentSpanID = parentSpanID
        self.kind = kind
        self.startNanoseconds = startNanoseconds
        self.onEnd = onEnd
        self.state = Mutex(State(name: name))
    }

    public var operationName: String {
        get { state.withLock { $0.name } }
        set { state.withLock { if $0.isRecording { $0.name = newValue } } }
    }

    public var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set { state.withLock { if $0.isRecording { $0.attributes = newValue } } }
    }

    public var isRecording: Bool { state.withLock { $0.isRecording } }

    public func setStatus(_ status: SpanStatus) {
        state.withLock { if $0.isRecording { $0.status = status } }
    }

    public func addEvent(_ event: SpanEvent) {
        state.withLock { if $0.isRecording { $0.events.append(event) } }
    }

    public func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
        var eventAttributes = attributes
        eventAttributes["exception.type"] = "\(type(of: error))"
        eventAttributes["exception.message"] = "\(error)"
        addEvent(SpanEvent(name: "exception", at: instant(), attributes: eventAttributes))
    }

    /// Links are not exported (no span here needs one).
    public func addLink(_ link: SpanLink) {}

    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        let ended = state.withLock { state -> State? in
            guard state.isRecording else { return nil }
            state.isRecording = false
            return state
        }
        guard let ended else { return }
        onEnd(
            FinishedSpan(
                name: ended.name, kind: kind, traceParent: traceParent, parentSpanID: parentSpanID, startNanoseconds: startNanoseconds,
                endNanoseconds: instant().nanosecondsSinceEpoch, attributes: ended.attributes, events: ended.events, status: ended.status))
    }
}
