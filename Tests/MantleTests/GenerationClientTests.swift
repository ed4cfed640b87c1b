import Foundation
import HTTPClient
import Mantle
import TestSupport
import Testing

/// The held-stream client against a local server replaying recorded streams: what it sends
/// (paths, headers, bodies) and what it makes of the answer.
@Suite struct GenerationClientTests {
    let request = GenerationRequest(model: "qwen.qwen3-32b", instructions: "Summarise.", input: "The document.", maxOutputTokens: 500)

    @Test func chatCompletionsStreamsWithUsageAndTheProjectHeader() async throws {
        try await StreamReplayServer.withRunning(.init(body: Data(RecordedStreams.chat.utf8))) { baseURL, received in
            let generation = try await run(request, via: .chatCompletions, baseURL: baseURL)
            #expect(generation.text == "Hello, world")
            #expect(generation.ending == .finished(stopReason: "stop"))
            #expect(generation.usage.inputTokens == 120)
            let sent = try #require(received().first)
            #expect(sent.path == "/v1/chat/completions")
            #expect(sent.headers["authorization"] == "Bearer test-key")
            #expect(sent.headers["openai-project"] == "proj_test")
            let body = try #require(try JSONSerialization.jsonObject(with: sent.body) as? [String: Any])
            #expect(body["stream"] as? Bool == true)
            #expect((body["stream_options"] as? [String: Bool])?["include_usage"] == true)
            #expect(body["max_tokens"] as? Int == 500)
            #expect((body["messages"] as? [[String: String]])?.map { $0["role"] ?? "" } == ["system", "user"])
        }
    }

    @Test func anthropicMessagesOnMantleSendsVersionAndWorkspace() async throws {
        try await StreamReplayServer.withRunning(.init(body: Data(RecordedStreams.anthropic.utf8))) { baseURL, received in
            var claude = request
            claude.model = "anthropic.claude-opus-4-7"
            let generation = try await run(claude, via: .anthropicMessages, baseURL: baseURL)
            #expect(generation.text == "Bonjour le monde")
            #expect(generation.ending == .finished(stopReason: "max_tokens"))
            let sent = try #require(received().first)
            #expect(sent.path == "/anthropic/v1/messages")
            #expect(sent.headers["anthropic-version"] == "bedrock-2023-05-31")
            #expect(sent.headers["anthropic-workspace"] == "proj_test")
            let body = try #require(try JSONSerialization.jsonObject(with: sent.body) as? [String: Any])
            #expect(body["model"] as? String == "anthropic.claude-opus-4-7")
            #expect(body["system"] as? String == "Summarise.")
            #expect(body["stream"] as? Bool == true)
        }
    }

    @Test func bedrockRuntimeInvokesWithResponseStream() async throws {
        let replay = StreamReplayServer.Replay(contentType: "application/vnd.amazon.eventstream", body: RecordedStreams.bedrock)
        try await StreamReplayServer.withRunning(replay) { baseURL, received in
            var claude = request
            claude.model = "us.anthropic.claude-sonnet-4-6"
            let generation = try await run(claude, via: .bedrockRuntime, baseURL: baseURL)
            #expect(generation.text == "Bonjour le monde")
            #expect(generation.usage.cachedInputTokens == 1000)
            let sent = try #require(received().first)
            #expect(sent.path == "/model/us.anthropic.claude-sonnet-4-6/invoke-with-response-stream")
            let body = try #require(try JSONSerialization.jsonObject(with: sent.body) as? [String: Any])
            #expect(body["anthropic_version"] as? String == "bedrock-2023-05-31")
            #expect(body["model"] == nil && body["stream"] == nil)
        }
    }

    /// The server ends the body cleanly, but before the terminal event: an interruption all the same.
    @Test(arguments: [GenerationAPI.chatCompletions, .anthropicMessages, .bedrockRuntime])
    func aStreamEndedEarlyIsInterrupted(_ api: GenerationAPI) async throws {
        let body =
            api == .bedrockRuntime
            ? RecordedStreams.bedrock : Data((api == .chatCompletions ? RecordedStreams.chat : RecordedStreams.anthropic).utf8)
        try await StreamReplayServer.withRunning(.init(body: body, cutAfter: body.count / 2)) { baseURL, _ in
            let generation = try await run(request, via: api, baseURL: baseURL)
            guard case .interrupted = generation.ending else {
                Issue.record("expected an interruption, got \(String(describing: generation.ending))")
                return
            }
            #expect(api != .chatCompletions || generation.text.hasPrefix("Hello"), "the text before the cut is kept")
        }
    }

    @Test func overloaded529IsRetryableWithItsRetryAfter() async throws {
        let body = #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#
        let replay = StreamReplayServer.Replay(
            status: 529, contentType: "application/json", headers: ["retry-after": "7"], body: Data(body.utf8))
        try await StreamReplayServer.withRunning(replay) { baseURL, _ in
            let error = await refusal(of: request, via: .anthropicMessages, baseURL: baseURL)
            #expect(error?.isRetryable == true)
            #expect(error?.status == 529)
            #expect(error?.type == "overloaded_error")
            #expect(error?.retryAfter == .seconds(7))
        }
    }

    @Test func promptTooLongIsPermanent() async throws {
        let body =
            #"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}"#
        let replay = StreamReplayServer.Replay(status: 400, contentType: "application/json", body: Data(body.utf8))
        try await StreamReplayServer.withRunning(replay) { baseURL, _ in
            let error = await refusal(of: request, via: .anthropicMessages, baseURL: baseURL)
            #expect(error?.isRetryable == false)
            #expect(error?.type == "invalid_request_error")
            #expect(error?.message.contains("prompt is too long") == true)
        }
    }

    private func client(baseURL: String, http: HTTPClient) throws -> GenerationClient {
        GenerationClient(
            mantle: try MantleEndpoint(baseURL: baseURL), runtime: try BedrockRuntimeEndpoint(baseURL: baseURL),
            credentials: try MantleCredentialProvider(.apiKey(MantleSecret("test-key"))), projectID: "proj_test", http: http,
            idleTimeout: .seconds(10))
    }

    private func run(_ request: GenerationRequest, via api: GenerationAPI, baseURL: String) async throws -> StreamedGeneration {
        let http = HTTPClient()
        do {
            let stream = try await client(baseURL: baseURL, http: http).stream(request, via: api)
            var last = StreamedGeneration()
            for await generation in stream { last = generation }
            await http.shutdown()
            return last
        } catch {
            await http.shutdown()
            throw error
        }
    }

    private func refusal(of request: GenerationRequest, via api: GenerationAPI, baseURL: String) async -> MantleError? {
        let http = HTTPClient()
        var refusal: MantleError?
        do {
            _ = try await client(baseURL: baseURL, http: http).stream(request, via: api)
            Issue.record("expected a refusal")
        } catch {
            refusal = error as? MantleError
        }
        await http.shutdown()
        return refusal
    }
}
