import Foundation
import TestSupport
import Testing

@testable import Mantle
@testable import MantleSimulator

/// The strict reader of Responses against `JSONDecoder`: the same value, or nil and the slow path.
@Suite struct StrictJSONTests {
    /// Every field, every item and part kind, and strings with every escape.
    static let rich = #"""
        {"id":"resp_rich","object":"response","created_at":1787372201.52,"completed_at":1.7873722e9,"status":"completed",
         "background":true,"error":null,"incomplete_details":null,"instructions":"Sum \"it\" up.\nPlease.",
         "max_output_tokens":2000,"model":"openai.gpt-oss-120b","previous_response_id":"resp_prev",
         "output":[{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Thinking \u00e9\ud83c\udf89"}],
                    "content":[{"type":"reasoning_text","text":"raw"},{"type":"reasoning_text"}]},
                   {"type":"function_call","id":"fc_1","arguments":"{\"a\":1}"},
                   {"type":"message","id":"msg_1","status":"completed","role":"assistant",
                    "content":[{"type":"output_text","text":"\"Quoted\" \\ back \/ slash\n\ttab é 🎉 \u0041\b\f\r","annotations":[]},
                               {"type":"refusal","refusal":"no"},{"type":"annotation_x","text":7},{"type":"output_text"}]},
                   {"type":"message","content":null},{}],
         "usage":{"input_tokens":32,"input_tokens_details":{"cached_tokens":5,"cache_write_tokens":2},"output_tokens":18,
                  "output_tokens_details":{"reasoning_tokens":4},"total_tokens":50},
         "metadata":{"job_id":"j-1","note":"caf\u00e9 ☕"},"billing":{"payer":"developer"},"frequency_penalty":0.0,
         "tools":[[],[{}],{"a":[true,false,null,-0.5e-3,0,10E+2]}]}
        """#

    static let failed = #"{"id":"resp_f","status":"failed","error":{"code":"server_error","message":"boom \"x\""},"output":[],"usage":null}"#

    static let incomplete = #"""
        {"id":"resp_i","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},
         "output":[{"type":"message","content":[{"type":"output_text","text":"cut"}]}],
         "usage":{"input_tokens":10,"output_tokens":16,"input_tokens_details":null},"metadata":null}
        """#

    /// Echoed fields of other shapes: numbers in metadata are `JSONDecoder`'s to read.
    static let echoedOddly = #"""
        {"id":"r","status":"completed","instructions":[{"role":"developer","content":"x"}],"created_at":"yesterday",
         "metadata":{"job_id":"j-1","attempt":2,"flag":true,"nested":{"a":1}},"model":null,"max_output_tokens":null}
        """#

    static let fastBodies = [RecordedBodies.completed, RecordedBodies.queued, RecordedBodies.inProgress, RecordedBodies.cancelled, rich, failed, incomplete]

    static func bothWays(_ text: some Sequence<UInt8>) -> (strict: MantleResponse?, decoded: MantleResponse?) {
        let json = Data(text)
        return (MantleResponse(strictJSON: json), try? MantleResponse(decoding: json))
    }

    @Test("the Responses Mantle sends are read without JSONDecoder, to the same value", arguments: fastBodies)
    func sameValue(_ body: String) throws {
        let (strict, decoded) = Self.bothWays(body.utf8)
        let read = try #require(strict)
        #expect(read == decoded)
    }

    @Test func richBodyReadsEveryField() throws {
        let response = try #require(MantleResponse(strictJSON: Data(Self.rich.utf8)))
        #expect(response.outputText == "\"Quoted\" \\ back / slash\n\ttab é 🎉 A\u{08}\u{0C}\r")
        #expect(response.reasoning == [ReasoningItem(id: "rs_1", summary: ["Thinking é🎉"], content: ["raw"])])
        #expect(response.refusals == ["no"])
        #expect(response.usage == ResponseUsage(inputTokens: 32, cachedInputTokens: 5, cacheWriteInputTokens: 2, outputTokens: 18, reasoningTokens: 4, totalTokens: 50))
        #expect(response.metadata == ["job_id": "j-1", "note": "café ☕"])
        #expect(response.instructions == "Sum \"it\" up.\nPlease.")
        #expect(response.maxOutputTokens == 2000 && response.previousResponseID == "resp_prev" && response.background == true)
    }

    @Test("what the strict reader is unsure of goes to JSONDecoder", arguments: [
        echoedOddly,
        #"{"id":"r","status":"completed","max_output_tokens":100.0}"#,
        #"{"id":"r","status":"completed","usage":{"input_tokens":1e2}}"#,
        #"{"id":"r","status":"completed","created_at":1e400}"#,
        #"{"id":"r","st\u0061tus":"completed"}"#,
    ])
    func leftToJSONDecoder(_ body: String) {
        #expect(MantleResponse(strictJSON: Data(body.utf8)) == nil)
        #expect(throws: Never.self) { try MantleResponse(json: Data(body.utf8)) }
    }

    /// `JSONDecoder` reads some of these (a trailing comma, `01`, `\x`, a raw control character in
    /// an unread string); the strict reader reads none, and leaves them to it.
    @Test("what is not strict JSON is not read strictly", arguments: [
        #"{"id":"r","status":"completed"} x"#, #"{"id":"r","status":"completed",}"#, #"{"id":"r","status":"completed","x":01}"#,
        #"{"id":"r","status":"completed","x":1.}"#, #"{"id":"r","status":"completed","x":-}"#, #"{"id":"r","status":"completed","x":tru}"#,
        #"{"id":"r","status":"completed","x":"\x"}"#, #"{"id":"r","status":"completed","x":"\u12"}"#,
        "{\"id\":\"r\",\"status\":\"completed\",\"x\":\"a\u{01}b\"}", #"{"id":"r","status":"completed","x":1,"x":2}"#,
        "[]", "", "null",
    ])
    func notStrictJSON(_ body: String) {
        #expect(Self.bothWays(body.utf8).strict == nil)
    }

    @Test("what is not a Response is refused by both", arguments: [
        #"{"id":"r"}"#, #"{"status":"completed"}"#, #"{"id":7,"status":"completed"}"#, #"{"id":null,"status":"completed"}"#,
        #"{"id":"r","status":"completed","output":{}}"#, #"{"id":"r","status":"completed","output":["x"]}"#,
        #"{"id":"r","status":"completed","usage":{"input_tokens":"1"}}"#, #"{"id":"r","status":"completed","error":"boom"}"#,
        #"{"id":"r","status":"completed","output":[{"type":"message","content":[{"type":"output_text","text":1}]}]}"#,
    ])
    func notAResponse(_ body: String) {
        let (strict, decoded) = Self.bothWays(body.utf8)
        #expect(strict == nil)
        #expect(decoded == nil)
    }

    @Test func invalidUTF8AndDepthAreLeftToJSONDecoder() {
        var bytes = Array(#"{"id":"r","status":"completed","x":"ab"}"#.utf8)
        bytes.insert(0xFF, at: bytes.count - 3)
        #expect(Self.bothWays(bytes).strict == nil)
        let deep = #"{"id":"r","status":"completed","x":"# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
        #expect(Self.bothWays(deep.utf8).strict == nil)
    }

    /// Bytes deleted, doubled or replaced all over every body: whenever the strict reader reads
    /// one, `JSONDecoder` reads the same.
    @Test func mutationsNeverReadDifferently() {
        var strictReads = 0
        var random = SeededGenerator(seed: 17)
        for mutated in ByteMutations.of(Self.fastBodies + [Self.echoedOddly], perBody: 400, using: &random) {
            let (strict, decoded) = Self.bothWays(mutated)
            guard let strict else { continue }
            strictReads += 1
            #expect(strict == decoded, "\(String(decoding: mutated, as: UTF8.self))")
        }
        // Most mutations land in whitespace, ids or text: the strict reader must still read them.
        #expect(strictReads > 1_000)
    }
}
