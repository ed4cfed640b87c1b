import Foundation
import Testing

@testable import Mantle

@Suite struct RequestEncodingTests {
    private func json(_ value: some Encodable) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(value))
        return try #require(object as? [String: Any])
    }

    /// The example body of mantle-api.md §2, field for field.
    @Test func referenceExampleBody() throws {
        let request = ResponseCreateRequest(
            model: "openai.gpt-oss-120b",
            instructions: "Summarise the document in 5 bullet points.",
            input: .messages([.user("<document text>")]),
            maxOutputTokens: 2000,
            metadata: ["job_id": "j-123", "doc_id": "d-456"],
            reasoningEffort: .low,
            textFormat: .text
        )
        try request.validate()
        let body = try json(request)
        #expect(body["model"] as? String == "openai.gpt-oss-120b")
        #expect(body["instructions"] as? String == "Summarise the document in 5 bullet points.")
        #expect(body["background"] as? Bool == true)
        #expect(body["store"] as? Bool == true)
        #expect(body["max_output_tokens"] as? Int == 2000)
        #expect(body["metadata"] as? [String: String] == ["job_id": "j-123", "doc_id": "d-456"])
        #expect((body["reasoning"] as? [String: String]) == ["effort": "low"])
        #expect(((body["text"] as? [String: Any])?["format"] as? [String: String]) == ["type": "text"])
        let input = try #require(body["input"] as? [[String: Any]])
        #expect(input.count == 1)
        #expect(input[0]["role"] as? String == "user")
        #expect(input[0]["type"] as? String == "message")
        #expect((input[0]["content"] as? [[String: String]]) == [["type": "input_text", "text": "<document text>"]])
        // And it reads back as the same request.
        #expect(try JSONDecoder().decode(ResponseCreateRequest.self, from: JSONEncoder().encode(request)) == request)
    }

    @Test func stringInputAndOmittedOptionals() throws {
        let body = try json(ResponseCreateRequest(model: "openai.gpt-oss-20b", input: .text("Hello")))
        #expect(body["input"] as? String == "Hello")
        #expect(body["background"] as? Bool == true)
        #expect(body["store"] as? Bool == true)
        #expect(Set(body.keys) == ["model", "input", "background", "store"])
    }

    @Test func jsonSchemaFormat() throws {
        let format = TextFormat.jsonSchema(
            name: "summary", schema: .object(["type": .string("object"), "required": .array([.string("bullets")])]),
            strict: true, description: nil
        )
        let body = try json(ResponseCreateRequest(model: "openai.gpt-5.4", input: .text("x"), textFormat: format))
        let encoded = try #require((body["text"] as? [String: Any])?["format"] as? [String: Any])
        #expect(encoded["type"] as? String == "json_schema")
        #expect(encoded["name"] as? String == "summary")
        #expect(encoded["strict"] as? Bool == true)
        #expect((encoded["schema"] as? [String: Any])?["type"] as? String == "object")
    }

    @Test func maxOutputTokensAtLeastSixteen() throws {
        try ResponseCreateRequest(model: "m", input: .text("x"), maxOutputTokens: 16).validate()
        let error = try #require(throws: MantleError.self) {
            try ResponseCreateRequest(model: "m", input: .text("x"), maxOutputTokens: 15).validate()
        }
        #expect(error.kind == .invalidRequest)
        #expect(error.param == "max_output_tokens")
        #expect(error.message.contains("16"))
        #expect(!error.isRetryable)
    }

    @Test func metadataLimits() throws {
        let sixteen = Dictionary(uniqueKeysWithValues: (0..<16).map { ("k\($0)", "v") })
        try ResponseCreateRequest(model: "m", input: .text("x"), metadata: sixteen).validate()
        var seventeen = sixteen
        seventeen["k16"] = "v"
        let tooMany = try #require(throws: MantleError.self) {
            try ResponseCreateRequest(model: "m", input: .text("x"), metadata: seventeen).validate()
        }
        #expect(tooMany.param == "metadata")
        #expect(tooMany.message.contains("17") && tooMany.message.contains("16"))

        let key64 = String(repeating: "k", count: 64)
        try ResponseCreateRequest(model: "m", input: .text("x"), metadata: [key64: "v"]).validate()
        let longKey = try #require(throws: MantleError.self) {
            try ResponseCreateRequest(model: "m", input: .text("x"), metadata: [key64 + "k": "v"]).validate()
        }
        #expect(longKey.param == "metadata")
        #expect(longKey.message.contains("64"))

        let value512 = String(repeating: "é", count: 512)  // counted in characters, not bytes
        try ResponseCreateRequest(model: "m", input: .text("x"), metadata: ["doc": value512]).validate()
        let longValue = try #require(throws: MantleError.self) {
            try ResponseCreateRequest(model: "m", input: .text("x"), metadata: ["doc": value512 + "é"]).validate()
        }
        #expect(longValue.param == "metadata.doc")
        #expect(longValue.message.contains("512") && longValue.message.contains("513"))
    }

    @Test func emptyModelAndBadSchemaName() {
        #expect(throws: MantleError.self) { try ResponseCreateRequest(model: " ", input: .text("x")).validate() }
        let bad = TextFormat.jsonSchema(name: "has space", schema: .object([:]), strict: nil, description: nil)
        #expect(throws: MantleError.self) { try ResponseCreateRequest(model: "m", input: .text("x"), textFormat: bad).validate() }
    }

    @Test func projectRequests() throws {
        let create = ProjectCreateRequest(name: "team-a", tags: ["CostCenter": "21524"], dataRetention: .inherit)
        try create.validate()
        let body = try json(create)
        #expect(body["name"] as? String == "team-a")
        #expect(body["tags"] as? [String: String] == ["CostCenter": "21524"])
        #expect((body["data_retention"] as? [String: String]) == ["mode": "inherit"])

        #expect(try json(ProjectModification.rename("team b")) as? [String: String] == ["name": "team b"])
        #expect(try json(ProjectModification.addTags(["Owner": "me"])) as? [String: [String: String]] == ["add_tags": ["Owner": "me"]])
        #expect(try json(ProjectModification.removeTagKeys(["Owner"])) as? [String: [String]] == ["remove_tag_keys": ["Owner"]])

        for name in ["mantle-samples-foundations", "A", "team a_b-c", "trailing ok-", String(repeating: "x", count: 64)] {
            try ProjectCreateRequest(name: name).validate()
        }
        for name in ["", "-lead", "double--dash", "ümlaut", String(repeating: "x", count: 65)] {
            #expect(throws: MantleError.self, "\(name)") { try ProjectCreateRequest(name: name).validate() }
        }
        #expect(throws: MantleError.self) { try ProjectModification.rename("bad//name").validate() }
    }
}
