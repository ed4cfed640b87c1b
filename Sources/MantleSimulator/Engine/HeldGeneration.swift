import HTTPTypes
import Hummingbird
import NIOCore

/// One generation held open on its request (Chat Completions, Messages, bedrock-runtime): the
/// text written in paced deltas over the generation's (speed-scaled) time, a cut or an in-stream
/// error half-way when one was drawn, and the engine's counters kept whatever happens.
struct HeldGeneration: Sendable {
    /// How one API frames a stream: bytes before the text, one write per delta, bytes after.
    struct Framing: Sendable {
        let contentType: String
        let opening: [[UInt8]]
        let delta: @Sendable (String) -> [UInt8]
        /// Written after the last delta; given the output tokens.
        let closing: @Sendable (Int) -> [[UInt8]]
        /// The API's in-stream error, written before the stream ends on a `streamError` fault.
        let error: [UInt8]
    }

    let engine: SimulatorEngine
    let route: SimulatorRoute
    let generation: Generation
    /// Real seconds the whole generation takes.
    let seconds: Double
    /// `streamCut`, `streamError`, or nil.
    let fault: InjectedFaultKind?
    let channel: any Channel

    /// The answer as a stream: `opening` at once, then a delta every `seconds / (deltas + 1)`.
    func streamed(_ framing: Framing, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = framing.contentType
        headers[.cacheControl] = "no-cache"
        let deltas = generation.deltas()
        // Half-way, but after at least one delta, so a cut stream has partial text to keep.
        let stopAt: Int? = fault == nil ? nil : max(1, deltas.count / 2)
        let pause = seconds / Double(deltas.count + 1)
        let body = ResponseBody { [self] writer in
            var sent = 0
            var counted = false
            func count(_ output: Int, completed: Bool) {
                counted = true
                engine.finishGeneration(route: route, inputTokens: generation.inputTokens, outputTokens: output, completed: completed)
            }
            do {
                try await writer.write(contentsOf: framing.opening.map { ByteBuffer(bytes: $0) })
                for delta in deltas {
                    if sent == stopAt { break }
                    if pause > 0 { try await Task.sleep(for: .seconds(pause)) }
                    try await writer.write(ByteBuffer(bytes: framing.delta(delta)))
                    sent += 1
                }
                let output = sent == deltas.count ? generation.outputTokens : generation.outputTokens(afterDeltas: sent, of: deltas)
                switch fault {
                case .streamCut?:
                    count(output, completed: false)
                    try? await channel.close(mode: .all)
                    throw CancellationError()
                // Counted before the body ends, so a client that has read the whole body finds
                // the generation in the counters (CI once read them between the end and the count).
                case .streamError?:
                    try await writer.write(ByteBuffer(bytes: framing.error))
                    count(output, completed: false)
                    try await writer.finish(nil)
                default:
                    if pause > 0 { try await Task.sleep(for: .seconds(pause)) }
                    try await writer.write(contentsOf: framing.closing(output).map { ByteBuffer(bytes: $0) })
                    count(output, completed: true)
                    try await writer.finish(nil)
                }
            } catch {
                // The client went away (or the cut above): what was sent is what was generated.
                if !counted { count(generation.outputTokens(afterDeltas: sent, of: deltas), completed: false) }
                throw error
            }
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// The answer in one body after the generation's time; a cut closes the connection
    /// unanswered, an in-stream error becomes `error`.
    func whole(_ answer: () -> Response, error: Response) async -> Response {
        do {
            if seconds > 0 { try await Task.sleep(for: .seconds(seconds)) }
        } catch {
            engine.finishGeneration(route: route, inputTokens: generation.inputTokens, outputTokens: 0, completed: false)
            return .unwritten
        }
        switch fault {
        case .streamCut?:
            engine.finishGeneration(
                route: route, inputTokens: generation.inputTokens, outputTokens: generation.outputTokens, completed: false)
            try? await channel.close(mode: .all)
            return .unwritten
        case .streamError?:
            engine.finishGeneration(route: route, inputTokens: generation.inputTokens, outputTokens: 0, completed: false)
            return error
        default:
            engine.finishGeneration(
                route: route, inputTokens: generation.inputTokens, outputTokens: generation.outputTokens, completed: true)
            return answer()
        }
    }
}
