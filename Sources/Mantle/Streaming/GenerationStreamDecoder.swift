public import Foundation

/// Bytes of a held generation's body in, `StreamedGeneration` out: the framing (SSE or AWS
/// event stream) and the event types of one `GenerationWire`, whatever the chunk boundaries.
///
/// Anything unreadable — a frame with a bad CRC, an event that is not JSON — ends the generation
/// as `.interrupted`: the job's next attempt starts afresh, as after a cut.
public struct GenerationStreamDecoder: Sendable {
    public let wire: GenerationWire
    public private(set) var generation = StreamedGeneration()
    private var events = ServerSentEventParser()
    private var frames = EventStreamDecoder()

    public init(wire: GenerationWire) {
        self.wire = wire
    }

    /// Feeds the next bytes of the body.
    public mutating func consume(_ bytes: Data) {
        guard generation.ending == nil else { return }
        switch wire {
        case .chatCompletions, .anthropicEvents:
            for event in events.consume(bytes) { apply(event) }
        case .bedrockEventStream:
            do {
                for message in try frames.consume(bytes) { apply(message) }
            } catch {
                generation.interrupt("the event stream is unreadable: \(error)")
            }
        }
    }

    /// The body ended: normally (`failure` nil) or with a transport failure. A generation with
    /// no terminal event by now was cut.
    public mutating func end(failure: String? = nil) {
        generation.interrupt(failure ?? "the stream ended before its terminal event")
    }

    /// The reader stopped the stream.
    public mutating func cancel() {
        generation.cancel()
    }

    private mutating func apply(_ event: ServerSentEvent) {
        switch wire {
        case .chatCompletions:
            if event.data == "[DONE]" { return generation.applyDone() }
            let data = Data(event.data.utf8)
            if let error = try? JSONDecoder().decode(StreamErrorEnvelope.self, from: data) {
                return generation.fail(type: error.error.type ?? error.error.code ?? "api_error", message: error.error.message ?? "")
            }
            do {
                generation.apply(try JSONDecoder().decode(ChatCompletionChunk.self, from: data))
            } catch {
                generation.interrupt("a chat.completion.chunk is not readable JSON: \(error)")
            }
        case .anthropicEvents, .bedrockEventStream:
            applyAnthropic(Data(event.data.utf8))
        }
    }

    private mutating func apply(_ message: EventStreamMessage) {
        switch message.messageType {
        case "event" where message.type == "chunk":
            guard let chunk = try? JSONDecoder().decode(EventStreamChunk.self, from: message.payload),
                let json = Data(base64Encoded: chunk.bytes)
            else {
                return generation.interrupt("an event-stream chunk has no base64 'bytes'")
            }
            applyAnthropic(json)
        case "exception", "error":
            let body = try? JSONDecoder().decode(ExceptionBody.self, from: message.payload)
            generation.fail(
                type: message.type ?? "exception",
                message: body?.message ?? body?.Message ?? message.headers[":error-message"] ?? "")
        default:
            break  // initial-response and other event types carry nothing for the job
        }
    }

    private mutating func applyAnthropic(_ json: Data) {
        do {
            generation.apply(try AnthropicStreamEvent(json: json))
        } catch {
            generation.interrupt("an Anthropic stream event is not readable JSON: \(error)")
        }
    }
}

/// `{"error":{…}}`: an OpenAI-compatible error sent as a stream event.
private struct StreamErrorEnvelope: Decodable {
    struct Body: Decodable {
        var type: String?
        var code: String?
        var message: String?
    }
    var error: Body
}

/// The payload of a bedrock-runtime `chunk` event.
private struct EventStreamChunk: Decodable {
    var bytes: String
}

/// The payload of an event-stream exception: `{"message":…}` (some services capitalise it).
private struct ExceptionBody: Decodable {
    var message: String?
    var Message: String?
}
