import Foundation
import Mantle
import Testing

/// The SSE parser against the WHATWG rules, fed whole and split at every byte.
@Suite struct ServerSentEventParserTests {
    @Test func readsEventNamesMultiLineDataIDsAndSkipsComments() {
        var parser = ServerSentEventParser()
        let events = parser.consume(Array(": keep-alive\nevent: delta\nid: 7\ndata: first\ndata:second\n\ndata: plain\n\n".utf8))
        #expect(
            events == [
                ServerSentEvent(event: "delta", data: "first\nsecond", id: "7"),
                ServerSentEvent(event: "message", data: "plain", id: "7"),
            ])
    }

    @Test(arguments: ["\r\n", "\r", "\n"])
    func acceptsEveryLineEnding(_ end: String) {
        var parser = ServerSentEventParser()
        let text = "event: a\(end)data: x\(end)\(end)data: y\(end)\(end)"
        #expect(parser.consume(Array(text.utf8)).map(\.data) == ["x", "y"])
    }

    /// A CRLF, a multi-byte character and a field split across reads change nothing.
    @Test func theSameEventsWhateverTheChunkBoundaries() {
        let text = "event: é\r\ndata: ünïcödé 🎉\r\n\r\n: c\r\ndata: 2\r\n\r\n"
        var whole = ServerSentEventParser()
        let expected = whole.consume(Array(text.utf8))
        #expect(expected.count == 2)
        for split in 1..<text.utf8.count {
            var parser = ServerSentEventParser()
            let bytes = Array(text.utf8)
            let events = parser.consume(bytes[..<split]) + parser.consume(bytes[split...])
            #expect(events == expected, "split at byte \(split)")
        }
    }

    @Test func anEventWithoutItsBlankLineIsNotDispatched() {
        var parser = ServerSentEventParser()
        #expect(parser.consume(Array("data: complete\n\ndata: cut off".utf8)).map(\.data) == ["complete"])
        #expect(parser.hasPartialEvent)
    }

    @Test func anEventWithNoDataIsDropped() {
        var parser = ServerSentEventParser()
        #expect(parser.consume(Array("event: empty\n\ndata: x\n\n".utf8)) == [ServerSentEvent(data: "x")])
    }

    /// CR CR LF is a CR line end and then a CRLF: two line ends, whichever read each byte comes in;
    /// `Data`, an array slice and a sequence with no contiguous storage read alike.
    @Test func bareCarriageReturnsAndEveryKindOfInput() {
        let text = "data: a\r\r\ndata: b\n\r\n"
        var whole = ServerSentEventParser()
        #expect(whole.consume(Data(text.utf8)).map(\.data) == ["a", "b"])
        for split in 1..<text.utf8.count {
            var parser = ServerSentEventParser()
            let bytes = Array(text.utf8)
            let events = parser.consume(Data(bytes[..<split])) + parser.consume(bytes[split...].lazy.map { $0 })
            #expect(events.map(\.data) == ["a", "b"], "split at byte \(split)")
        }
    }
}
