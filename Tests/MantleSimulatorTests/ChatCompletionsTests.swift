import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import MantleSimulator

/// `POST /v1/chat/completions`: bodies, streams, budgets and refusals as Mantle gives them.
@Suite struct ChatCompletionsTests {
    static func body(
        model: String = "qwen.qwen3-32b", stream: Bool = false, usage: Bool = false, maxTokens: Int? = nil,
        document: String = Documents.english
    ) throws -> String {
        var fields: [String: Any] = [
            "model": model,
            "messages": [
                ["role": "system", "content": "Summarise the document in 2 sentences."],
                ["role": "user", "content": [["type": "text", "text": document]]],
            ],
            "stream": stream, "metadata": ["job_id": "j-chat", "attempt": "1"],
        ]
        if usage { fields["stream_options"] = ["include_usage": true] }
        if let maxTokens { fields["max_completion_tokens"] = maxTokens }
        return String(decoding: try JSONSerialization.data(withJSONObject: fields), as: UTF8.self)
    }

    @Test func wholeAnswerHasTheChatCompletionShape() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.post("/v1/chat/completions", try Self.body())
            #expect(response.status == .ok)
            let json = try JSON(response)
            #expect(json["object"].string == "chat.completion")
            #expect(json["id"].string?.hasPrefix("chatcmpl-") == true)
            let choice = json["choices"][0]
            #expect(choice["finish_reason"].string == "stop")
            #expect(choice["message"]["role"].string == "assistant")
            let text = try #require(choice["message"]["content"].string)
            #expect(text.count(where: { $0 == "." }) == 2 && text.contains("lighthouse"))
            let usage = json["usage"]
            #expect((usage["prompt_tokens"].int ?? 0) > 20)
            #expect(usage["total_tokens"].int == (usage["prompt_tokens"].int ?? 0) + (usage["completion_tokens"].int ?? 0))
            let counters = sim.engine.counters()
            #expect(counters.requestsByRoute[.chatCompletions] == 1)
            #expect(counters.generationsCompleted[.chatCompletions] == 1)
            #expect(counters.outputTokensByRoute[.chatCompletions] == usage["completion_tokens"].int)
            #expect(counters.creates(jobID: "j-chat", attempt: "1") == 1)
            #expect(counters.generationsInFlight == 0)
        }
    }

    @Test func streamSendsChunksTheFinishReasonUsageAndDone() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.post("/v1/chat/completions", try Self.body(stream: true, usage: true))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/event-stream")
            let events = SSE.events(response)
            #expect(events.last?.data == "[DONE]")
            let chunks = events.dropLast().map { SSE.json($0.data) }
            #expect(chunks.allSatisfy { $0["object"].string == "chat.completion.chunk" })
            #expect(chunks.first?["choices"][0]["delta"]["role"].string == "assistant")
            let text = chunks.compactMap { $0["choices"][0]["delta"]["content"].string }.joined()
            #expect(text.contains("lighthouse"))
            #expect(chunks.compactMap { $0["choices"][0]["finish_reason"].string } == ["stop"])
            let final = try #require(chunks.last)
            #expect(final["choices"].array.isEmpty)
            #expect(final["usage"]["completion_tokens"].int == TokenEstimator.tokens(in: text))
            #expect(chunks.dropLast().allSatisfy { $0["usage"].isNull })
        }
    }

    @Test func budgetReachedEndsWithLength() async throws {
        try await SimulatorHarness.run { sim async throws in
            let whole = try JSON(try await sim.post("/v1/chat/completions", try Self.body(maxTokens: 20)))
            #expect(whole["choices"][0]["finish_reason"].string == "length")
            #expect(whole["usage"]["completion_tokens"].int == 20)
            let streamed = SSE.events(try await sim.post("/v1/chat/completions", try Self.body(stream: true, maxTokens: 20)))
            #expect(streamed.compactMap { SSE.json($0.data)["choices"][0]["finish_reason"].string } == ["length"])
        }
    }

    @Test func gptOSSReasonsInTheNonStandardField() async throws {
        try await SimulatorHarness.run { sim async throws in
            let json = try JSON(try await sim.post("/v1/chat/completions", try Self.body(model: "openai.gpt-oss-120b")))
            #expect(json["choices"][0]["message"]["reasoning"].string?.isEmpty == false)
            #expect(json["usage"].keys == ["prompt_tokens", "completion_tokens", "total_tokens"])
        }
    }

    @Test(arguments: [
        ("openai.gpt-5.4", "/v1/chat/completions", 400, "The model 'openai.gpt-5.4' does not support the '/v1/chat/completions' API"),
        (
            "anthropic.claude-opus-4-7", "/v1/chat/completions", 400,
            "The model 'anthropic.claude-opus-4-7' does not support the '/v1/chat/completions' API"
        ),
        (
            "anthropic.claude-sonnet-4-6", "/v1/chat/completions", 404,
            "The model 'anthropic.claude-sonnet-4-6' does not exist or does not support this API."
        ),
        ("qwen.qwen3-32b", "/openai/v1/chat/completions", 400, "The model 'qwen.qwen3-32b' isn't supported on this route."),
    ])
    func wrongModelsAreRefusedAsMantleDoes(_ model: String, _ path: String, _ status: Int, _ message: String) async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.post(path, try Self.body(model: model))
            #expect(response.status.code == status)
            #expect(try JSON(response)["error"]["message"].string == message)
            #expect(sim.engine.counters().generationsStarted.isEmpty)
        }
    }

    @Test func chatOnlyWindowIs128000AndOverflowIsContextLengthExceeded() async throws {
        var configuration = SimulatorHarness.fast
        configuration.contextWindowScale = 0.001  // 128,000 → 128
        try await SimulatorHarness.run(configuration) { sim async throws in
            let response = try await sim.post("/v1/chat/completions", try Self.body(document: Documents.english + Documents.english))
            #expect(response.status == .badRequest)
            let error = try JSON(response)["error"]
            #expect(error["code"].string == "context_length_exceeded")
            #expect(error["param"].string == "messages")
            #expect(error["message"].string?.hasPrefix("This model's maximum context length is 128 tokens.") == true)
        }
    }
}
