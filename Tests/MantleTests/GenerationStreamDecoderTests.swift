import Foundation
import Mantle
import TestSupport
import Testing

/// Recorded streams of the three APIs into text, usage and an ending; cut-off input is an interruption.
@Suite struct GenerationStreamDecoderTests {
    @Test func aChatStreamGivesItsTextUsageAndStopReason() {
        let generation = decode(.chatCompletions, Data(RecordedStreams.chat.utf8))
        #expect(generation.text == "Hello, world")
        #expect(generation.ending == .finished(stopReason: "stop"))
        #expect(generation.usage == StreamUsage(inputTokens: 120, cachedInputTokens: 100, outputTokens: 3))
        #expect(generation.usageReported)
        #expect(generation.remoteID == "chatcmpl-1")
    }

    @Test func anAnthropicStreamCountsCachedInputInTheInput() {
        let generation = decode(.anthropicEvents, Data(RecordedStreams.anthropic.utf8))
        #expect(generation.text == "Bonjour le monde")
        #expect(generation.ending == .finished(stopReason: "max_tokens"))
        #expect(generation.usage == StreamUsage(inputTokens: 1070, cachedInputTokens: 1000, cacheWriteInputTokens: 20, outputTokens: 7))
    }

    @Test func aBedrockEventStreamReadsLikeTheSSEOne() {
        let sse = decode(.anthropicEvents, Data(RecordedStreams.anthropic.utf8))
        let frames = decode(.bedrockEventStream, RecordedStreams.bedrock)
        #expect(frames == sse)
    }

    /// Cut anywhere before its terminal event, a stream is interrupted — never finished — and
    /// keeps the text and the usage it had.
    @Test(arguments: GenerationWire.allCases)
    func aStreamCutAnywhereIsInterrupted(_ wire: GenerationWire) {
        let whole = bytes(wire)
        let terminal = decode(wire, whole)
        for cut in stride(from: 0, to: whole.count - terminalLength(wire), by: 13) {
            let generation = decode(wire, whole.prefix(cut))
            guard case .interrupted = generation.ending else {
                Issue.record("\(wire) cut at \(cut) of \(whole.count): \(String(describing: generation.ending))")
                return
            }
            #expect(terminal.text.hasPrefix(generation.text))
        }
    }

    @Test func aCutChatStreamEstimatesItsOutputFromTheDeltas() {
        let cut = RecordedStreams.chat.components(separatedBy: "\n\n").prefix(3).joined(separator: "\n\n") + "\n\n"
        let generation = decode(.chatCompletions, Data(cut.utf8))
        #expect(generation.text == "Hello, world")
        #expect(generation.usage.outputTokens == 2, "two text deltas, no usage chunk yet")
        #expect(!generation.usageReported)
    }

    @Test func anErrorEventFailsTheGeneration() {
        let text = #"event: error"# + "\n" + #"data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"# + "\n\n"
        #expect(decode(.anthropicEvents, Data(text.utf8)).ending == .failed(type: "overloaded_error", message: "Overloaded"))
    }

    @Test func anExceptionFrameFailsTheGeneration() {
        let frame = EventStreamFrame.encode(
            headers: [(":exception-type", "modelStreamErrorException"), (":message-type", "exception")],
            payload: Data(#"{"message":"stream error"}"#.utf8))
        #expect(decode(.bedrockEventStream, frame).ending == .failed(type: "modelStreamErrorException", message: "stream error"))
    }

    @Test func aDamagedFrameInterrupts() {
        var data = RecordedStreams.bedrock
        data[data.count - 1] ^= 0xFF
        guard case .interrupted = decode(.bedrockEventStream, data).ending else {
            Issue.record("expected an interruption")
            return
        }
    }

    private func decode(_ wire: GenerationWire, _ data: Data) -> StreamedGeneration {
        var decoder = GenerationStreamDecoder(wire: wire)
        decoder.consume(data)
        decoder.end()
        return decoder.generation
    }

    private func bytes(_ wire: GenerationWire) -> Data {
        switch wire {
        case .chatCompletions: Data(RecordedStreams.chat.utf8)
        case .anthropicEvents: Data(RecordedStreams.anthropic.utf8)
        case .bedrockEventStream: RecordedStreams.bedrock
        }
    }

    /// The bytes of the terminal event, which a cut must fall before.
    private func terminalLength(_ wire: GenerationWire) -> Int {
        switch wire {
        case .chatCompletions: "data: [DONE]\n\n".utf8.count
        case .anthropicEvents: "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n".utf8.count
        case .bedrockEventStream: 100
        }
    }
}
