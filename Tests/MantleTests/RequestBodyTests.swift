import Foundation
import Testing
import TestSupport

@testable import Mantle

/// The create body written by hand (`ResponseCreateRequest.jsonBody`) is what the `Encodable`
/// conformance gives through `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]`, as the
/// client sent it before: the same bytes, the same parsed JSON, and the same request read back.
@Suite struct RequestBodyTests {
    static let texts = JSONTexts.tricky

    static let inputs: [ResponseInput] =
        texts.map { .text($0) } + [
            .messages([]),
            .messages([.user("Hello \"there\"\n")]),
            .messages(
                [InputMessage.Role.user, .assistant, .system, .developer].map { InputMessage(role: $0, content: .text("from \($0.rawValue): é 😀 \\")) }
                    + [
                        InputMessage(role: .user, content: .parts([])),
                        InputMessage(role: .developer, content: .parts(["", "two\tparts", "日本"])),
                    ]),
        ]

    static let metadatas: [[String: String]?] = [
        nil, [:], ["longhaul_job_id": "job_01", "longhaul_attempt": "2"],
        // As many pairs as allowed, keys that sort differently by bytes, characters and case.
        Dictionary(
            uniqueKeysWithValues: ["b", "a", "B", "A", "_", "a_b", "ab", "10", "9", "é", "e", "日", "😀", "quote\"key", "back\\slash", ""]
                .enumerated().map { ($1, texts[$0 % texts.count].prefix(500).description) }),
    ]

    static let schema: JSONValue = .object([
        "type": .string("object"),
        "properties": .object([
            "bullets": .object(["type": .string("array"), "items": .object(["type": .string("string")]), "maxItems": .number(5)]),
            "score": .object(["type": .string("number"), "minimum": .number(-0.5), "maximum": .number(1e20), "multipleOf": .number(0.1)]),
            "note \"é\"": .object(["type": .array([.string("string"), .string("null")]), "default": .null]),
            "flag": .object(["type": .string("boolean"), "const": .bool(true), "enum": .array([.bool(false), .number(0), .number(-0.0)])]),
        ]),
        "required": .array([.string("bullets"), .string("score")]),
        "additionalProperties": .bool(false),
        "$defs": .object([:]),
        "examples": .array([]),
    ])

    static let formats: [TextFormat?] = [
        nil, .text, .jsonObject,
        .jsonSchema(name: "summary", schema: schema, strict: true, description: "The \"summary\"\n of é 😀"),
        .jsonSchema(name: "s-1_x", schema: schema, strict: false, description: nil),
        .jsonSchema(name: "x", schema: .object([:]), strict: nil, description: ""),
    ]

    /// Requests that between them take every value of every field, in changing combinations
    /// (each field cycles through its values at its own pace), with every field unset and set.
    static func requests() -> [ResponseCreateRequest] {
        let instructions: [String?] = [nil] + texts
        let maxOutputTokens: [Int?] = [nil, 16, 2_000, Int.max]
        let efforts: [ReasoningEffort?] = [nil] + ReasoningEffort.allCases
        let tiers: [ServiceTier?] = [nil] + ServiceTier.allCases
        let models = ["openai.gpt-oss-120b", "openai.gpt-5.4", "model \"é\""]
        var requests: [ResponseCreateRequest] = []
        for index in 0..<(2 * inputs.count * formats.count) {
            var request = ResponseCreateRequest(
                model: models[index % models.count],
                instructions: instructions[index % instructions.count],
                input: inputs[index % inputs.count],
                maxOutputTokens: maxOutputTokens[index % maxOutputTokens.count],
                metadata: metadatas[index % metadatas.count],
                reasoningEffort: efforts[index % efforts.count],
                textFormat: formats[(index / 2) % formats.count],
                serviceTier: tiers[index % tiers.count])
            request.stream = index % 2 == 1
            requests.append(request)
        }
        var everything = ResponseCreateRequest(
            model: models[0], instructions: texts[3], input: inputs[inputs.count - 1], maxOutputTokens: 64,
            metadata: metadatas[3], reasoningEffort: .high, textFormat: formats[3], serviceTier: .flex)
        requests.append(everything)
        everything.stream = true
        requests.append(everything)
        requests.append(ResponseCreateRequest(model: models[0], input: .text("")))
        return requests
    }

    static func encoded(_ request: ResponseCreateRequest) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(request)
    }

    @Test func handWrittenBodyIsWhatTheEncoderWrites() throws {
        let requests = Self.requests()
        #expect(requests.count > 100)
        for request in requests {
            let body = try request.jsonBody(operation: .createResponse)
            let reference = try Self.encoded(request)
            #expect(body == reference, "\(String(decoding: body, as: UTF8.self).prefix(600))")
            let parsed = try #require(try JSONSerialization.jsonObject(with: body) as? NSDictionary)
            let parsedReference = try #require(try JSONSerialization.jsonObject(with: reference) as? NSDictionary)
            #expect(parsed == parsedReference)
            #expect(try JSONDecoder().decode(ResponseCreateRequest.self, from: body) == request)
            #expect(parsed["background"] as? Bool == true && parsed["store"] as? Bool == true)
            #expect(parsed["stream"] as? Bool == (request.stream ? true : nil))
        }
    }

    @Test func keysComeInByteOrder() throws {
        var request = ResponseCreateRequest(
            model: "m", instructions: "i", input: .text("x"), maxOutputTokens: 16, metadata: ["k": "v", "K": "w"],
            reasoningEffort: .low, textFormat: .jsonObject, serviceTier: .flex)
        request.stream = true
        let body = try request.jsonBody(operation: .createResponse)
        #expect(
            String(decoding: body, as: UTF8.self)
                == #"{"background":true,"input":"x","instructions":"i","max_output_tokens":16,"metadata":{"K":"w","k":"v"},"model":"m","#
                + #""reasoning":{"effort":"low"},"service_tier":"flex","store":true,"stream":true,"text":{"format":{"type":"json_object"}}}"#)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func aNonFiniteSchemaNumberIsRefusedAsTheEncoderRefusedIt(_ value: Double) throws {
        let request = ResponseCreateRequest(
            model: "openai.gpt-5.4", input: .text("x"),
            textFormat: .jsonSchema(name: "s", schema: .object(["maximum": .number(value)]), strict: nil, description: nil))
        #expect(throws: (any Error).self) { try Self.encoded(request) }
        let error = try #require(throws: MantleError.self) { try request.jsonBody(operation: .createResponse) }
        #expect(error.kind == .invalidRequest)
        #expect(!error.isRetryable)
        #expect(error.message.contains("text.format schema"))
    }
}
