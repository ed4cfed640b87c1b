import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import MantleSimulator

/// `POST /anthropic/v1/messages`: Claude on Mantle, whole and streamed, and its refusals.
@Suite struct MessagesTests {
    static func body(
        model: String? = "anthropic.claude-opus-4-7", stream: Bool = false, maxTokens: Int? = 1024, document: String = Documents.english
    ) throws -> String {
        var fields: [String: Any] = [
            "system": "Summarise the document in 2 sentences.",
            "messages": [["role": "user", "content": [["type": "text", "text": document]]]],
            "stream": stream,
        ]
        if let model { fields["model"] = model }
        if let maxTokens { fields["max_tokens"] = maxTokens }
        return String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
    }

    @Test func wholeAnswerIsAMessageWithCacheUsage() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.post("/anthropic/v1/messages", try Self.body(), headers: SimulatorHarness.anthropicHeaders())
            #expect(response.status == .ok)
            let json = try JSON(response)
            #expect(json["type"].string == "message" && json["role"].string == "assistant")
            #expect(json["stop_reason"].string == "end_turn")
            #expect(json["content"][0]["type"].string == "text")
            #expect(json["content"][0]["text"].string?.contains("lighthouse") == true)
            #expect(json["usage"].keys == ["input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"])
            #expect((json["usage"]["input_tokens"].int ?? 0) > 20)
            #expect(sim.engine.counters().generationsCompleted[.messages] == 1)
        }
    }

    @Test func streamSendsAnthropicsEventsInOrder() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.post(
                "/anthropic/v1/messages", try Self.body(stream: true, maxTokens: 30), headers: SimulatorHarness.anthropicHeaders())
            let events = SSE.events(response)
            let names = events.compactMap(\.event)
            #expect(Array(names.prefix(3)) == ["message_start", "content_block_start", "ping"])
            #expect(Array(names.suffix(3)) == ["content_block_stop", "message_delta", "message_stop"])
            #expect(names.dropFirst(3).dropLast(3).allSatisfy { $0 == "content_block_delta" })
            #expect(events.allSatisfy { SSE.json($0.data)["type"].string == $0.event })
            let start = SSE.json(events[0].data)["message"]
            #expect((start["usage"]["input_tokens"].int ?? 0) > 20)
            let delta = SSE.json(try #require(events.first { $0.event == "message_delta" }).data)
            #expect(delta["delta"]["stop_reason"].string == "max_tokens")
            #expect(delta["usage"]["output_tokens"].int == 30)
            let text = events.filter { $0.event == "content_block_delta" }
                .compactMap { SSE.json($0.data)["delta"]["text"].string }.joined()
            #expect(TokenEstimator.tokens(in: text) <= 30 && text.hasPrefix("The lighthouse"))
        }
    }

    @Test func keyAsXAPIKeyAndProjectAsWorkspace() async throws {
        try await SimulatorHarness.run { sim async throws in
            var headers = SimulatorHarness.anthropicHeaders(key: nil, workspace: "proj_missing")
            headers[HTTPField.Name("x-api-key")!] = SimulatorHarness.key
            let refused = try await sim.post("/anthropic/v1/messages", try Self.body(), headers: headers)
            #expect(refused.status == .unauthorized)
            #expect(try JSON(refused)["error"]["type"].string == "authentication_error")
            #expect(try JSON(refused)["error"]["message"].string?.hasPrefix("The anthropic-workspace header names 'proj_missing'") == true)
            #expect(sim.engine.counters().requestsByProject["proj_missing"] == 1)
            headers[HTTPField.Name("anthropic-workspace")!] = "default"
            #expect(try await sim.post("/anthropic/v1/messages", try Self.body(), headers: headers).status == .ok)
        }
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let headers: HTTPFields
        let body: String
        let status: Int
        let type: String
        let message: String
        var testDescription: String { message }
    }

    static let refusals: [Refusal] = {
        let ok = SimulatorHarness.anthropicHeaders()
        func body(_ model: String? = "anthropic.claude-opus-4-7", maxTokens: Int? = 1024) -> String {
            (try? MessagesTests.body(model: model, maxTokens: maxTokens)) ?? ""
        }
        return [
            Refusal(
                headers: SimulatorHarness.anthropicHeaders(version: "2023-06-01"), body: body(), status: 400, type: "invalid_request_error",
                message: "anthropic-version: '2023-06-01' is not supported here; send 'anthropic-version: bedrock-2023-05-31'"),
            Refusal(
                headers: SimulatorHarness.anthropicHeaders(version: nil), body: body(), status: 400, type: "invalid_request_error",
                message: "anthropic-version: header is required; send 'anthropic-version: bedrock-2023-05-31'"),
            Refusal(
                headers: SimulatorHarness.anthropicHeaders(key: nil), body: body(), status: 401, type: "authentication_error",
                message: "Missing bearer authentication in header: send 'Authorization: Bearer <Amazon Bedrock API key>'."),
            Refusal(
                headers: ok, body: body("openai.gpt-oss-120b"), status: 400, type: "invalid_request_error",
                message: "The model 'openai.gpt-oss-120b' does not support the '/anthropic/v1/messages' API"),
            Refusal(
                headers: ok, body: body("anthropic.claude-sonnet-4-6"), status: 404, type: "not_found_error",
                message: "The model 'anthropic.claude-sonnet-4-6' does not exist"),
            Refusal(headers: ok, body: body(nil), status: 400, type: "invalid_request_error", message: "model: Field required"),
            Refusal(
                headers: ok, body: body(maxTokens: nil), status: 400, type: "invalid_request_error", message: "max_tokens: Field required"),
            Refusal(
                headers: ok, body: body(maxTokens: 64_001), status: 400, type: "invalid_request_error",
                message: "max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens for anthropic.claude-opus-4-7"),
            Refusal(
                headers: ok, body: #"{"model":"anthropic.claude-opus-4-7","max_tokens":10,"messages":[{"role":"robot","content":"hi"}]}"#,
                status: 400, type: "invalid_request_error", message: "messages.0.role: Input should be one of the allowed values"),
        ]
    }()

    @Test(arguments: refusals) func refusedInAnthropicsEnvelope(_ refusal: Refusal) async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.post("/anthropic/v1/messages", refusal.body, headers: refusal.headers)
            #expect(response.status.code == refusal.status)
            let json = try JSON(response)
            #expect(json["type"].string == "error")
            #expect(json["error"]["type"].string == refusal.type)
            #expect(json["error"]["message"].string == refusal.message)
        }
    }

    @Test func anthropicModelOnResponsesIsTheRecorded400() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.post("/v1/responses", #"{"model":"anthropic.claude-opus-4-7","input":"hi"}"#)
            #expect(response.status == .badRequest)
            let error = try JSON(response)["error"]
            #expect(error["message"].string == "The model 'anthropic.claude-opus-4-7' does not support the '/v1/responses' API")
            #expect(error["code"].string == "validation_error")
        }
    }

    @Test func promptTooLongNamesBothCounts() async throws {
        var configuration = SimulatorHarness.fast
        configuration.contextWindowScale = 0.001  // 200,000 → 200; output limit 64
        try await SimulatorHarness.run(configuration) { sim async throws in
            let response = try await sim.post(
                "/anthropic/v1/messages", try Self.body(maxTokens: 16, document: Documents.english + Documents.english + Documents.english),
                headers: SimulatorHarness.anthropicHeaders())
            #expect(response.status == .badRequest)
            let message = try #require(try JSON(response)["error"]["message"].string)
            #expect(message.hasPrefix("prompt is too long: ") && message.hasSuffix(" tokens > 200 maximum"), "\(message)")
        }
    }
}

/// The prompt cache: a prefix marked `cache_control` is written once, then read.
@Suite struct PromptCacheTests {
    @Test func markedPrefixIsWrittenThenReadOnBothHosts() async throws {
        let long = String(repeating: Documents.english + " ", count: 12)  // about 1,100 tokens
        let body = String(
            decoding: try JSONSerialization.data(withJSONObject: [
                "model": "anthropic.claude-opus-4-7", "max_tokens": 50,
                "system": [["type": "text", "text": long, "cache_control": ["type": "ephemeral"]]],
                "messages": [["role": "user", "content": "Summarise the document in 2 sentences."]],
            ]), as: UTF8.self)
        try await SimulatorHarness.run { sim async throws in
            let first = try JSON(try await sim.post("/anthropic/v1/messages", body, headers: SimulatorHarness.anthropicHeaders()))["usage"]
            let second = try JSON(try await sim.post("/anthropic/v1/messages", body, headers: SimulatorHarness.anthropicHeaders()))["usage"]
            let written = try #require(first["cache_creation_input_tokens"].int)
            #expect(written >= PromptCache.minimumTokens && first["cache_read_input_tokens"].int == 0)
            #expect(second["cache_read_input_tokens"].int == written && second["cache_creation_input_tokens"].int == 0)
            #expect(first["input_tokens"].int == second["input_tokens"].int)
            #expect((first["input_tokens"].int ?? 0) > 0 && (first["input_tokens"].int ?? 0) < 50)
            // bedrock-runtime keeps a cache of its own: the same prefix is written there once more.
            var invoke = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            invoke["model"] = nil
            invoke["anthropic_version"] = "bedrock-2023-05-31"
            let invokeBody = String(decoding: try JSONSerialization.data(withJSONObject: invoke), as: UTF8.self)
            let runtime = try JSON(try await sim.post("/model/anthropic.claude-opus-4-7/invoke", invokeBody, headers: InvokeTests.bearer))
            #expect(runtime["usage"]["cache_creation_input_tokens"].int == written)
        }
    }
}
