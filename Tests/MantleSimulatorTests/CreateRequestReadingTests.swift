import Foundation
import TestSupport
import Testing

@testable import MantleSimulator

/// The create body's strict reader against `JSONDecoder`: the same value, or nil and the slow path
/// (which then answers, and refuses, exactly as before).
@Suite struct CreateRequestReadingTests {
    /// What the worker sends (`ResponseCreateRequest+JSONBytes`), then the shapes the official
    /// openai SDK sends for `client.responses.create(…)`: its keys in the caller's order.
    static let read: [String] = [
        #"""
        {"background":true,"input":"Report 12345. The lighthouse stood on the northern cliff for two hundred years. Ships used it to find the harbour in winter storms.","instructions":"Summarise the document in a few short paragraphs. Keep names, figures and dates exact.","max_output_tokens":200,"metadata":{"bench":"12345","longhaul_attempt":"1","longhaul_job_id":"job_01KBR6Q8Y3M6TWF0ZC2N4XJ5PD"},"model":"openai.gpt-oss-120b","reasoning":{"effort":"low"},"service_tier":"flex","store":true,"stream":true,"text":{"format":{"description":"d","name":"summary","schema":{"additionalProperties":false,"properties":{"points":{"items":{"type":"string"},"maxItems":5,"type":"array"}},"required":["points"],"type":"object"},"strict":true,"type":"json_schema"}}}
        """#,
        #"{"model":"openai.gpt-oss-120b","input":"Hi."}"#,
        #"{"input":"Say hello.","model":"openai.gpt-oss-20b","instructions":"Be brief.","background":true,"store":true,"metadata":{"job":"j-1"}}"#,
        #"""
        {"input":[{"role":"developer","content":"Answer in 3 sentences."},{"role":"user","content":"The harbour froze. Ships waited."},
          {"role":"assistant","content":[{"type":"output_text","text":"Ships waited."}]},
          {"type":"message","role":"user","content":[{"type":"input_text","text":"Again, \"shorter\".\n\nPlease \u00e9 \ud83c\udf89 日本語"},{"type":"input_text","text":null}]},
          {"type":"message","role":"system","content":[]},{"content":"no role"},{"role":null,"content":null,"type":null},{}],
         "model":"openai.gpt-oss-120b","stream":false,"store":false,"background":false}
        """#,
        #"""
        {"model":"openai.gpt-oss-120b","input":"x","reasoning":{"effort":"high","summary":"auto"},"text":{"verbosity":"low"},
         "tools":[{"type":"function","name":"lookup","description":"Finds a word.","parameters":{"type":"object","properties":{"word":{"type":"string"}},"required":["word"]},"strict":true}],
         "tool_choice":{"type":"function","name":"lookup"},"parallel_tool_calls":false,"truncation":"auto","user":"u-1",
         "temperature":0.7,"top_p":1,"max_output_tokens":16,"previous_response_id":"resp_1","service_tier":"priority"}
        """#,
        #"""
        {"model":"openai.gpt-oss-120b","input":"x","reasoning":{},"text":null,"tools":null,"tool_choice":"auto","metadata":null,
         "instructions":null,"temperature":null,"top_p":null,"max_output_tokens":null,"background":null,"store":null,"stream":null,
         "previous_response_id":null,"service_tier":null,"user":null,"parallel_tool_calls":null,"truncation":null}
        """#,
        #"{"model":"openai.gpt-oss-120b","input":"x","reasoning":{"effort":null},"temperature":0,"top_p":1e-3}"#,
        #"""
        {"model":"openai.gpt-oss-120b","input":"x","tools":[],"text":{"format":{"type":"json_object"}},"temperature":-0.0,
         "top_p":123456789012345678901234567890,"tool_choice":["odd",1,2.5,-3,1e20,true,false,null,{"a":{"b":[{}]}}]}
        """#,
        #"{"model":"","input":[]}"#,
        #"{"input":"no model"}"#,
        #"{}"#,
        #"{"model":"openai.gpt-oss-120b","input":"x","reasoning":{"effort":"minimal"},"max_output_tokens":9223372036854775807}"#,
    ]

    /// What the strict reader leaves to `JSONDecoder`: members it does not read, values of another
    /// type, unknown roles and efforts, numbers it cannot be sure of, and what is not strict JSON.
    static let unsure: [String] = [
        #"{"model":"openai.gpt-oss-120b","input":"x","include":["reasoning.encrypted_content"]}"#,
        #"{"model":"openai.gpt-oss-120b","input":[{"role":"user","content":"x","id":"msg_1"}]}"#,
        #"{"model":"openai.gpt-oss-120b","input":[{"role":"user","content":[{"type":"input_image","image_url":"https://x"}]}]}"#,
        #"{"model":"openai.gpt-oss-120b","input":[{"role":"tool","content":"x"}]}"#,
        #"{"model":"openai.gpt-oss-120b","input":[{"role":"user","content":[{"text":"no type"}]}]}"#,
        #"{"model":"openai.gpt-oss-120b","input":[{"role":"user","content":[{"type":null,"text":"x"}]}]}"#,
        #"{"model":"openai.gpt-oss-120b","input":[{"role":"user","content":7}]}"#,
        #"{"model":"openai.gpt-oss-120b","input":["x"]}"#,
        #"{"model":"openai.gpt-oss-120b","input":5}"#,
        #"{"model":"openai.gpt-oss-120b","input":{"role":"user"}}"#,
        #"{"model":"openai.gpt-oss-120b","input":"x","reasoning":{"effort":"extreme"}}"#,
        #"{"model":"openai.gpt-oss-120b","input":"x","reasoning":"high"}"#,
        #"{"model":"openai.gpt-oss-120b","input":"x","max_output_tokens":16.0}"#,
        #"{"model":"openai.gpt-oss-120b","input":"x","max_output_tokens":1e3}"#,
        #"{"model":"openai.gpt-oss-120b","input":"x","max_output_tokens":99999999999999999999}"#,
        #"{"model":"openai.gpt-oss-120b","input":"x","temperature":1e400}"#,
        #"{"model":"openai.gpt-oss-120b","input":"x","temperature":"0.5"}"#,
        #"{"model":"openai.gpt-oss-120b","input":"x","tools":[1e999]}"#,
        #"{"model":"openai.gpt-oss-120b","input":"x","metadata":{"attempt":2}}"#,
        #"{"model":"openai.gpt-oss-120b","input":"x","stream":"true"}"#,
        #"{"model":7,"input":"x"}"#,
        #"{"model":"openai.gpt-oss-120b","input":"x","model":"again"}"#,
        #"{"model":"openai.gpt-oss-120b","input":"x",}"#,
        #"{"m\u006fdel":"openai.gpt-oss-120b","input":"x"}"#,
        #"["model"]"#, "", "null",
    ]

    static func bothWays(_ bytes: [UInt8]) -> (strict: CreateResponseRequest?, decoded: CreateResponseRequest?) {
        (CreateResponseRequest(strictJSON: bytes), try? JSONDecoder().decode(CreateResponseRequest.self, from: Data(bytes)))
    }

    @Test("the bodies the worker and the SDKs send are read without JSONDecoder, to the same value", arguments: read)
    func sameValue(_ body: String) throws {
        let (strict, decoded) = Self.bothWays(Array(body.utf8))
        let value = try #require(strict)
        #expect(value == decoded)
    }

    @Test("what the strict reader is unsure of goes to JSONDecoder", arguments: unsure)
    func leftToJSONDecoder(_ body: String) {
        #expect(Self.bothWays(Array(body.utf8)).strict == nil)
    }

    @Test func theWorkersBodyReadsEveryField() throws {
        let body = try #require(CreateResponseRequest(strictJSON: Array(Self.read[0].utf8)))
        #expect(body.model == "openai.gpt-oss-120b" && body.background == true && body.store == true && body.stream == true)
        #expect(body.maxOutputTokens == 200 && body.serviceTier == "flex" && body.reasoning?.effort == .low)
        #expect(body.metadata?["longhaul_job_id"] == "job_01KBR6Q8Y3M6TWF0ZC2N4XJ5PD")
        #expect(body.input?.documentText.hasPrefix("Report 12345. The lighthouse") == true)
        #expect(body.text?["format"]?["name"] == .string("summary"))
    }

    /// Bytes deleted, doubled or replaced all over every body: whenever the strict reader reads
    /// one, `JSONDecoder` reads the same.
    @Test func mutationsNeverReadDifferently() {
        var strictReads = 0
        var random = SeededGenerator(seed: 17)
        for mutated in ByteMutations.of((Self.read + Self.unsure).filter { !$0.isEmpty }, perBody: 400, using: &random) {
            let (strict, decoded) = Self.bothWays(mutated)
            guard let strict else { continue }
            strictReads += 1
            #expect(strict == decoded, "\(String(decoding: mutated, as: UTF8.self))")
        }
        // A mutation in a text, a name or a space leaves a body readable: about 1,300 of the 4,800
        // mutations of the bodies it reads. Far fewer would mean it reads next to nothing.
        #expect(strictReads > 1_000)
    }
}
