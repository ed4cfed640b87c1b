import Foundation
import Mantle
import TestSupport
import Testing

/// AWS event-stream frames: CRCs checked, frames split anywhere, exceptions read.
@Suite struct EventStreamDecoderTests {
    @Test func decodesFramesSplitAtEveryByte() throws {
        let bytes = Array(RecordedStreams.bedrock)
        var whole = EventStreamDecoder()
        let expected = try whole.consume(bytes)
        #expect(expected.count == RecordedStreams.anthropicEventJSON.count)
        #expect(expected.first?.messageType == "event")
        #expect(expected.first?.type == "chunk")
        for split in stride(from: 1, to: bytes.count, by: 7) {
            var decoder = EventStreamDecoder()
            let messages = try decoder.consume(bytes[..<split]) + decoder.consume(bytes[split...])
            #expect(messages == expected, "split at byte \(split)")
            #expect(!decoder.hasPartialFrame)
        }
    }

    @Test func aCutFrameWaitsAndIsReportedPartial() throws {
        var decoder = EventStreamDecoder()
        let bytes = Array(RecordedStreams.bedrock)
        #expect(try decoder.consume(bytes.prefix(20)).isEmpty)
        #expect(decoder.hasPartialFrame)
    }

    @Test func aDamagedPreludeIsRefused() {
        var bytes = Array(RecordedStreams.bedrock)
        bytes[2] ^= 0x01
        var decoder = EventStreamDecoder()
        #expect(throws: EventStreamDecoder.FormatError.self) { try decoder.consume(bytes) }
    }

    @Test func aDamagedPayloadIsRefused() {
        var bytes = Array(RecordedStreams.bedrock)
        bytes[40] ^= 0x01
        var decoder = EventStreamDecoder()
        #expect(throws: EventStreamDecoder.FormatError.self) { try decoder.consume(bytes) }
    }

    @Test func readsAnExceptionFrame() throws {
        let frame = EventStreamFrame.encode(
            headers: [(":exception-type", "throttlingException"), (":content-type", "application/json"), (":message-type", "exception")],
            payload: Data(#"{"message":"Too many tokens, please wait before trying again."}"#.utf8))
        var decoder = EventStreamDecoder()
        let messages = try decoder.consume(frame)
        #expect(messages.first?.messageType == "exception")
        #expect(messages.first?.type == "throttlingException")
    }
}
