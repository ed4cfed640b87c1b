import Foundation
import Mantle
import TestSupport
import Testing

/// The events of a streamed background Response, in OpenAI's shapes, into its id, cursor, text and end.
@Suite struct StreamedResponseTests {
    static let running = #"{"id":"resp_1","object":"response","status":"in_progress","output":[]}"#
    static let completed = #"""
        {"id":"resp_1","object":"response","status":"completed","created_at":1800000000,"completed_at":1800000060,\#
        "output":[{"type":"message","id":"msg_1","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello, world","annotations":[]}]}],\#
        "usage":{"input_tokens":20,"input_tokens_details":{"cached_tokens":0},"output_tokens":3,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":23}}
        """#

    static func events(_ lines: [String]) -> [Data] { lines.map { Data($0.utf8) } }

    static let stream = events([
        #"{"type":"response.created","sequence_number":0,"response":\#(running)}"#,
        #"{"type":"response.in_progress","sequence_number":1,"response":\#(running)}"#,
        #"{"type":"response.output_text.delta","sequence_number":2,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hello, "}"#,
        #"{"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"world"}"#,
        #"{"type":"response.completed","sequence_number":4,"response":\#(completed)}"#,
    ])

    @Test func theTerminalEventEndsItWithTheWholeResponseAndItsUsage() throws {
        var state = StreamedResponse()
        for event in Self.stream { state.apply(data: event) }
        #expect(state.responseID == "resp_1")
        #expect(state.lastSequenceNumber == 4)
        #expect(state.text == "Hello, world")
        guard case .finished(let response) = state.ending else { throw Unexpected(state: state) }
        #expect(response.status == .completed)
        #expect(response.outputText == "Hello, world")
        #expect(response.usage?.outputTokens == 3)
    }

    /// A lifecycle event gives the Response's id (the first one seen stays) and its status, an
    /// unknown status included; one whose response lacks either is unreadable and ends the stream.
    @Test func lifecycleEventsGiveTheIdAndStatusAndAnUnreadableOneInterrupts() {
        var state = StreamedResponse()
        state.apply(data: Data(#"{"type":"response.created","sequence_number":0,"response":{"id":"resp_\u0031","status":"queued","output":[]}}"#.utf8))
        #expect(state.responseID == "resp_1")
        #expect(state.status == .queued)
        state.apply(data: Data(#"{"type":"response.in_progress","sequence_number":1,"response":{"status":"waiting","id":"resp_other"}}"#.utf8))
        #expect(state.responseID == "resp_1")
        #expect(state.status == .unknown("waiting"))
        #expect(state.ending == nil)
        for response in [#"{"id":"resp_1"}"#, #"{"id":1,"status":"queued"}"#, #"[1]"#, #""queued""#] {
            var cut = StreamedResponse()
            cut.apply(data: Data(#"{"type":"response.in_progress","sequence_number":0,"response":\#(response)}"#.utf8))
            guard case .interrupted(let detail) = cut.ending else {
                Issue.record("\(response) did not interrupt the stream")
                continue
            }
            #expect(detail.contains("response.in_progress"))
        }
    }

    /// Deltas with escapes read as `JSONEncoder` wrote them (every kind of text: quotes,
    /// backslashes, controls, U+2028, surrogate pairs); a delta with an escape JSON does not allow
    /// or a lone surrogate adds nothing, as before.
    @Test func escapedDeltasReadAsTheyWereWritten() throws {
        var state = StreamedResponse()
        var expected = ""
        for (index, text) in JSONTexts.tricky.enumerated() {
            let delta = String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
            state.apply(data: Data(#"{"type":"response.output_text.delta","sequence_number":\#(index),"delta":\#(delta)}"#.utf8))
            expected += text
        }
        #expect(state.text == expected)
        for (index, bad) in [#""a\x""#, #""\ud800""#, #""\udc00x""#, #""\u12""#].enumerated() {
            state.apply(data: Data(#"{"type":"response.output_text.delta","sequence_number":\#(100 + index),"delta":\#(bad)}"#.utf8))
        }
        #expect(state.text == expected)
        #expect(state.ending == nil)
    }

    @Test func aStreamCutBeforeItsEndIsInterruptedAndResumesAfterItsCursor() {
        var state = StreamedResponse()
        for event in Self.stream.prefix(3) { state.apply(data: event) }
        state.interrupt("connection reset")
        #expect(state.ending == .interrupted(detail: "connection reset"))
        // A resume that replays from an earlier event adds nothing twice.
        var resumed = StreamedResponse(responseID: "resp_1", lastSequenceNumber: state.lastSequenceNumber, text: state.text)
        for event in Self.stream.dropFirst(1) { resumed.apply(data: event) }
        #expect(resumed.text == "Hello, world")
        #expect(resumed.lastSequenceNumber == 4)
        #expect(resumed.ending.map { if case .finished = $0 { true } else { false } } == true)
    }

    @Test func anUnreadableEventOrAnErrorEventInterrupts() {
        var garbled = StreamedResponse()
        garbled.apply(data: Data("not json".utf8))
        #expect(garbled.ending.map { if case .interrupted = $0 { true } else { false } } == true)
        var failed = StreamedResponse()
        failed.apply(data: Data(#"{"type":"error","code":"server_error","message":"boom","sequence_number":0}"#.utf8))
        #expect(failed.ending == .interrupted(detail: "the stream reported an error: boom"))
    }

    /// Events read member by member (`JSONMembers`): escapes, braces inside strings and spacing
    /// are read as JSON reads them, and the stored Response is the bytes the event carried.
    @Test func eventsAreReadAsJSONReadsThem() throws {
        var state = StreamedResponse()
        let response = #"{ "id" : "resp_2", "status":"completed", "metadata": {"note": "a } and a ] and a \" inside"},"output":[] }"#
        for event in Self.events([
            #" { "sequence_number" : 7 , "type":"response.output_text.delta", "delta":"\"Quoted\"\n\u00e9t\u00e9 {x} " } "#,
            #"{"type":"response.output_text.delta","sequence_number":8,"delta":"plain","logprobs":[[1,2],{"a":"]"}]}"#,
            #"{"type":"response.completed","sequence_number":9,"response":\#(response)}"#,
        ]) { state.apply(data: event) }
        #expect(state.text == "\"Quoted\"\nété {x} plain")
        #expect(state.lastSequenceNumber == 9 && state.deltas == 2 && state.responseID == "resp_2")
        guard case .finished(let finished) = state.ending else { throw Unexpected(state: state) }
        #expect(finished.rawJSON == Data(response.utf8))
        #expect(finished.metadata == ["note": #"a } and a ] and a " inside"#])
    }

    /// A member is found by its whole key (not one that only begins like it), and of a key sent
    /// twice the last is read, as a JSON reader keeps it.
    @Test func membersAreFoundByTheirWholeKeyAndTheLastOfARepeatedOne() {
        var state = StreamedResponse()
        state.apply(data: Data(#"{"typed":"x","type":"response.output_text.delta","delta":"first","delta":"second","sequence_numbers":9}"#.utf8))
        #expect(state.text == "second" && state.deltas == 1 && state.lastSequenceNumber == nil)
    }

    @Test(arguments: [
        #"{"type":"response.output_text.delta","delta":"cut"#,  // cut mid-string
        #"{"type":"response.completed","response":{"id":"resp_1","status":"completed"}"#,  // unbalanced
        #"{"type":"response.output_text.delta"} trailing"#,
        #"["response.completed"]"#,
        #"{"delta":"no type"}"#,
        #"{"type":"response.completed","sequence_number":1,"response":{"status":"completed"}}"#,  // a Response without its id
    ])
    func aBrokenEventInterrupts(event: String) {
        var state = StreamedResponse()
        state.apply(data: Data(event.utf8))
        #expect(state.ending.map { if case .interrupted = $0 { true } else { false } } == true)
    }

    struct Unexpected: Error { let state: StreamedResponse }
}
