import HTTPTypes
import MantleModels
import NIOCore
import NIOHTTPTypes

/// Answers the two requests every job makes of Mantle — the create of a Response and its
/// retrieve — on the connection's event loop, when nothing in them waits: the configuration in
/// force when the request arrives draws no fault on its route and, for a create, runs at zero
/// latency (the benches'). Everything else goes on to Hummingbird's router, unchanged.
///
/// Both paths decide with ``ResponsesAnswers`` and write the same ``WholeAnswer`` with the same
/// headers, so the answers are the same but for ids and times (`ResponsesFastLaneTests`). What the
/// lane saves is Hummingbird's way to a handler and back: the request handed to an async
/// sequence, a task switch to the cooperative pool for the router, the middleware and the handler,
/// and the answer handed back to the event loop. `bench/simulator.sh`, release: a retrieve 39 →
/// 22 µs of the simulator's CPU, a create 67 → 48, a 404 39 → 23 (the floor under both).
///
/// It sits after the HTTP/1 codec in Hummingbird's pipeline. A request it passes on is answered
/// by Hummingbird; until that answer's end has gone out, every later request on the connection
/// (pipelined) is passed on too, so that answers leave in the order of their requests.
final class ResponsesFastLane: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// A create body larger than this goes to Hummingbird, which streams it (documents run to
    /// 64 MiB); the lane holds a body whole. The worker's creates are a few KiB.
    static let maximumBodyBytes = 1 << 20

    private enum State {
        /// Between requests, with no answer owed by Hummingbird.
        case idle
        /// Reading the body of a request the lane answers.
        case collecting(FastRequest, body: ByteBuffer)
        /// Answers Hummingbird still owes, for requests passed on.
        case passing(answersOwed: Int)
    }

    private let engine: SimulatorEngine
    private let serverName: String
    private var state = State.idle
    private var date = HTTPDate()

    init(engine: SimulatorEngine, serverName: String) {
        self.engine = engine
        self.serverName = serverName
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch (state, part) {
        case (.idle, .head(let head)):
            if let request = FastRequest(head, configuration: engine.configuration) {
                state = .collecting(request, body: context.channel.allocator.buffer(capacity: request.expectedBodyBytes))
            } else {
                state = .passing(answersOwed: 1)
                context.fireChannelRead(data)
            }
        case (.collecting(let request, var body), .body(var chunk)):
            state = .idle  // the buffer is uniquely referenced while it grows
            body.writeBuffer(&chunk)
            state = .collecting(request, body: body)
        case (.collecting(let request, let body), .end):
            state = .idle
            write(answer(to: request, body: body), context: context)
        case (.passing(let owed), .head):
            state = .passing(answersOwed: owed + 1)
            context.fireChannelRead(data)
        default:
            // The rest of a request passed on (or parts out of order, which Hummingbird refuses).
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), case .passing(let owed) = state {
            state = owed > 1 ? .passing(answersOwed: owed - 1) : .idle
        }
        context.write(data, promise: promise)
    }

    private func answer(to request: FastRequest, body: ByteBuffer) -> WholeAnswer {
        let admitted = engine.admit(
            route: request.route.simulatorRoute,
            authorization: request.authorization,
            projectHeader: request.project,
            forInference: request.route.isCreate
        )
        let project: String
        switch admitted {
        case .failure(let error): return error.wholeAnswer
        case .success(let id): project = id
        }
        let answers = ResponsesAnswers(engine: engine)
        switch request.route {
        case .create(let prefix):
            let decision = answers.create(
                body: Array(body.readableBytesView), project: project, prefix: prefix, under: request.configuration)
            // The configuration taken at the head draws no fault and runs at zero latency, and the
            // decision is made under it: nothing is withheld or waited for.
            return answers.immediate(decision) ?? MantleErrorBody.internalServerError.wholeAnswer
        case .retrieve(let id):
            switch answers.retrieve(id: id, stream: false, project: project, under: request.configuration) {
            case .answer(let answer): return answer
            // No fault is drawn under that configuration, and no stream was asked for.
            case .withheld, .resumed: return MantleErrorBody.internalServerError.wholeAnswer
            }
        }
    }

    /// Head, body and end, with the headers Hummingbird gives the same answer: `Content-Length`
    /// (not for an event stream), `x-request-id` (`MantleEnvelopeMiddleware`), `Date`, `Server`.
    private func write(_ answer: WholeAnswer, context: ChannelHandlerContext) {
        var headers = answer.headers
        if answer.declaresLength { headers[.contentLength] = String(answer.body.count) }
        headers[.requestID] = engine.makeID("req_")
        headers[.date] = date.value(at: SimulatorEngine.now())
        headers[.server] = serverName
        var body = context.channel.allocator.buffer(capacity: answer.body.count)
        body.writeBytes(answer.body)
        context.write(wrapOutboundOut(.head(HTTPResponse(status: answer.status, headerFields: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

/// A request the fast lane answers, known from its head.
struct FastRequest {
    enum Route: Equatable {
        case create(ModelPathPrefix)
        case retrieve(id: String)

        var isCreate: Bool { if case .create = self { true } else { false } }
        var simulatorRoute: SimulatorRoute { isCreate ? .createResponse : .retrieveResponse }
        var faultRoute: FaultRoute { isCreate ? .create : .retrieve }
    }

    let route: Route
    let authorization: String?
    let project: String?
    let configuration: MantleSimulatorConfiguration
    let expectedBodyBytes: Int

    /// Nil unless the lane answers it: a create or a retrieve (exact path, no query) that
    /// `configuration` answers at once, with a body of a stated length up to
    /// ``ResponsesFastLane/maximumBodyBytes``, and no `Connection: close` or `Expect` for
    /// Hummingbird to honour.
    init?(_ head: HTTPRequest, configuration: MantleSimulatorConfiguration) {
        guard let path = head.path, let route = Self.route(method: head.method, path: path) else { return nil }
        guard configuration.faults(for: route.faultRoute) == .none, configuration.zeroLatency || !route.isCreate else { return nil }
        let fields = head.headerFields
        guard fields[.connection] == nil, fields[.expect] == nil, fields[.transferEncoding] == nil else { return nil }
        var length = 0
        if let stated = fields[.contentLength] {
            guard let value = Int(stated), (0...ResponsesFastLane.maximumBodyBytes).contains(value) else { return nil }
            length = value
        }
        self.route = route
        authorization = fields[.authorization]
        project = fields[.openAIProject]
        self.configuration = configuration
        expectedBodyBytes = length
    }

    /// `POST {prefix}/responses` or `GET {prefix}/responses/{id}` under `/v1` or `/openai/v1`,
    /// spelled exactly; an id of letters, digits, `_` and `-` only (anything to decode or
    /// normalise is Hummingbird's).
    static func route(method: HTTPRequest.Method, path: String) -> Route? {
        for prefix in [ModelPathPrefix.v1, .openAIV1] {
            guard path.hasPrefix(prefix.rawValue) else { continue }
            let rest = path.utf8.dropFirst(prefix.rawValue.utf8.count)
            let collection = "/responses".utf8
            guard rest.starts(with: collection) else { return nil }
            let tail = rest.dropFirst(collection.count)
            if tail.isEmpty { return method == .post ? .create(prefix) : nil }
            guard method == .get, tail.first == UInt8(ascii: "/") else { return nil }
            let id = tail.dropFirst()
            let isIDByte = { (byte: UInt8) in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "_"), UInt8(ascii: "-"):
                    true
                default: false
                }
            }
            guard !id.isEmpty, id.allSatisfy(isIDByte) else { return nil }
            return .retrieve(id: String(decoding: id, as: UTF8.self))
        }
        return nil
    }
}
