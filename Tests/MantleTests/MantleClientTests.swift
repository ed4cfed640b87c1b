import Foundation
import HTTPClient
import Testing

@testable import Mantle

/// The client over recorded Mantle answers: what it sends, and what it makes of what comes back.
@Suite struct MantleClientTests {
    static let key = "bedrock-api-key-UNIT-TEST-SECRET"

    private func client(
        _ transport: RecordedTransport, baseURL: String = "http://127.0.0.1:8089/v1", project: String? = "proj_abc123"
    ) throws -> (MantleClient, MantleCredentialProvider) {
        let provider = try MantleCredentialProvider(.apiKeyEnvironment(variable: "KEY"), environment: ["KEY": Self.key])
        let client = MantleClient(
            endpoint: try MantleEndpoint(baseURL: baseURL), credentials: provider, projectID: project, transport: transport,
            timeouts: MantleTimeouts(request: .seconds(30), connect: .seconds(3))
        )
        return (client, provider)
    }

    private func body(_ request: HTTPRequest) throws -> [String: Any] {
        let data = try #require(request.body)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func createSendsABackgroundStoredResponseOnTheModelsPrefix() async throws {
        let transport = RecordedTransport(body: RecordedBodies.inProgress)
        let (client, _) = try client(transport)
        let request = ResponseCreateRequest(
            model: "openai.gpt-oss-120b", instructions: "Summarise the document in 5 bullet points.",
            input: .messages([.user("<document text>")]), maxOutputTokens: 2000,
            metadata: ["job_id": "j-123", "doc_id": "d-456"], reasoningEffort: .low
        )
        let response = try await client.createResponse(request)
        #expect(response.status == .inProgress)
        #expect(response.rawJSON == Data(RecordedBodies.inProgress.utf8))

        let sent = try #require(await transport.requests.first)
        #expect(sent.method == .post)
        #expect(sent.url == "http://127.0.0.1:8089/v1/responses")
        #expect(sent.headers["authorization"] == "Bearer " + Self.key)
        #expect(sent.headers["OpenAI-Project"] == "proj_abc123")
        #expect(sent.headers["content-type"] == "application/json")
        #expect(sent.timeout == .seconds(30))
        #expect(sent.connectTimeout == .seconds(3))
        let json = try body(sent)
        #expect(json["background"] as? Bool == true)
        #expect(json["store"] as? Bool == true)
        #expect(json["model"] as? String == "openai.gpt-oss-120b")
    }

    @Test(arguments: [
        ("openai.gpt-oss-20b", "https://bedrock-mantle.us-east-1.api.aws/v1/responses"),
        ("openai.gpt-5.4", "https://bedrock-mantle.us-east-1.api.aws/openai/v1/responses"),
        ("google.gemma-4-27b", "https://bedrock-mantle.us-east-1.api.aws/openai/v1/responses"),
        ("xai.grok-4", "https://bedrock-mantle.us-east-1.api.aws/openai/v1/responses"),
    ])
    func regionEndpointAndPrefix(model: String, url: String) async throws {
        let transport = RecordedTransport(body: RecordedBodies.queued)
        let (client, _) = try client(transport, baseURL: "https://bedrock-mantle.us-east-1.api.aws/openai/v1")
        _ = try await client.createResponse(ResponseCreateRequest(model: model, input: .text("hi")))
        #expect(await transport.requests.first?.url == url)
    }

    @Test func unsupportedModelsAndInvalidRequestsAreRefusedBeforeSending() async throws {
        let transport = RecordedTransport(body: RecordedBodies.queued)
        let (client, _) = try client(transport)
        let unsupported = try await #require(throws: MantleError.self) {
            try await client.createResponse(ResponseCreateRequest(model: "anthropic.claude-sonnet-4-5", input: .text("hi")))
        }
        #expect(unsupported.kind == .unsupportedModel)
        #expect(unsupported.message.contains("Messages API"))
        let invalid = try await #require(throws: MantleError.self) {
            try await client.createResponse(ResponseCreateRequest(model: "openai.gpt-oss-120b", input: .text("hi"), maxOutputTokens: 8))
        }
        #expect(invalid.param == "max_output_tokens")
        let injected = try await #require(throws: MantleError.self) {
            try await client.retrieveResponse(id: "../organization/projects", model: "openai.gpt-oss-120b")
        }
        #expect(injected.param == "response_id")
        #expect(await transport.requests.isEmpty)
    }

    /// A response id goes into the URL only when it cannot change the route: the byte test
    /// accepts exactly what the rule over scalars (ASCII, and a letter, a digit or `-_.~`) does,
    /// for every scalar up to U+024F and some beyond, alone and inside an id.
    @Test func pathSegmentsAreTheUnreservedIdsExactly() {
        func rule(_ id: String) -> Bool {
            !id.isEmpty && id != "." && id != ".."
                && id.unicodeScalars.allSatisfy {
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.~".unicodeScalars.contains($0))
                }
        }
        let scalars = (0..<0x250).compactMap(Unicode.Scalar.init) + ["\u{2028}", "\u{FF21}", "\u{1F600}", "\u{10FFFF}"]
        var ids = ["", ".", "..", "...", "resp_abc", "resp_../x", "a/b", "a?b", "a%2Fb"]
        for scalar in scalars { ids += [String(scalar), "resp_\(scalar)x"] }
        for id in ids {
            let accepted = (try? MantleClient.pathSegment(id, param: "response_id")) != nil
            #expect(accepted == rule(id), "\(id.debugDescription)")
        }
    }

    @Test func retrieveCancelDelete() async throws {
        let transport = RecordedTransport([
            .response(status: 200, headers: [:], body: RecordedBodies.completed),
            .response(status: 200, headers: [:], body: RecordedBodies.cancelled),
            .response(status: 200, headers: [:], body: RecordedBodies.deleted),
            .response(status: 200, headers: [:], body: ""),
        ])
        let (client, _) = try client(transport)
        let id = "resp_67cb71b351908190a308f3859487620d06981a8637e6bc44"
        let completed = try await client.retrieveResponse(id: id, model: "openai.gpt-5.5")
        #expect(completed.outputText.hasPrefix("Silent circuits hum"))
        let cancelled = try await client.cancelResponse(id: id, model: "openai.gpt-oss-120b")
        #expect(cancelled.status == .cancelled)
        let deleted = try await client.deleteResponse(id: "resp_6786a1bec27481909a17d673315b29f6", model: "openai.gpt-oss-120b")
        #expect(deleted.deleted)
        let deletedWithoutBody = try await client.deleteResponse(id: "resp_x", model: "openai.gpt-oss-120b")
        #expect(deletedWithoutBody == ResponseDeletion(id: "resp_x", deleted: true))

        let requests = await transport.requests
        #expect(requests.map(\.method) == [.get, .post, .delete, .delete])
        #expect(requests.map(\.url) == [
            "http://127.0.0.1:8089/openai/v1/responses/\(id)",
            "http://127.0.0.1:8089/v1/responses/\(id)/cancel",
            "http://127.0.0.1:8089/v1/responses/resp_6786a1bec27481909a17d673315b29f6",
            "http://127.0.0.1:8089/v1/responses/resp_x",
        ])
        #expect(requests.allSatisfy { $0.headers["OpenAI-Project"] == "proj_abc123" })
    }

    @Test func modelsAndProjectsLiveUnderV1() async throws {
        let models = #"{"object":"list","data":[{"id":"openai.gpt-oss-120b","object":"model","created":1754000000,"owned_by":"openai"},{"id":"qwen.qwen3-32b","object":"model","owned_by":"qwen"}]}"#
        let transport = RecordedTransport([
            .response(status: 200, headers: [:], body: models),
            .response(status: 200, headers: [:], body: RecordedBodies.project),
            .response(status: 200, headers: [:], body: RecordedBodies.projectList),
            .response(status: 200, headers: [:], body: RecordedBodies.project),
            .response(status: 200, headers: [:], body: RecordedBodies.project),
            .response(status: 200, headers: [:], body: RecordedBodies.project.replacingOccurrences(of: #""status":"active""#, with: #""status":"archived""#)),
        ])
        let (client, _) = try client(transport, baseURL: "http://127.0.0.1:8089/openai/v1")
        let listed = try await client.listModels()
        #expect(listed.map(\.id) == ["openai.gpt-oss-120b", "qwen.qwen3-32b"])
        #expect(listed.map(\.capabilities.supportsResponses) == [true, false])

        let created = try await client.createProject(ProjectCreateRequest(name: "mantle-samples-foundations", tags: ["Owner": "SampleReader"]))
        #expect(created.id == "proj_g354l72a9x")
        let page = try await client.listProjects(includeArchived: true)
        #expect(page.projects.count == 2)
        #expect(page.lastID == "proj_g354l72a9x")
        _ = try await client.retrieveProject(id: "proj_g354l72a9x")
        _ = try await client.modifyProject(id: "proj_g354l72a9x", .addTags(["Environment": "Demo"]))
        let archived = try await client.archiveProject(id: "proj_g354l72a9x")
        #expect(archived.status == .archived)

        let requests = await transport.requests
        #expect(requests.map { "\($0.method) \($0.url)" } == [
            "GET http://127.0.0.1:8089/v1/models",
            "POST http://127.0.0.1:8089/v1/organization/projects",
            "GET http://127.0.0.1:8089/v1/organization/projects?include_archived=true",
            "GET http://127.0.0.1:8089/v1/organization/projects/proj_g354l72a9x",
            "POST http://127.0.0.1:8089/v1/organization/projects/proj_g354l72a9x",
            "POST http://127.0.0.1:8089/v1/organization/projects/proj_g354l72a9x/archive",
        ])
        #expect(try body(requests[1])["tags"] as? [String: String] == ["Owner": "SampleReader"])
        #expect(try body(requests[4]) as? [String: [String: String]] == ["add_tags": ["Environment": "Demo"]])
        // The project header attributes inference; the organization routes do not take it.
        #expect(requests[0].headers["OpenAI-Project"] == "proj_abc123")
        #expect(requests[1...].allSatisfy { $0.headers["OpenAI-Project"] == nil })
    }

    @Test func unauthorizedDropsTheCachedKeyAndLeaksNothing() async throws {
        let transport = RecordedTransport([
            .response(status: 401, headers: ["x-request-id": "req_401"], body: #"{"error":{"type":"authentication_error","message":"The security token included in the request is expired"}}"#),
            .response(status: 200, headers: [:], body: RecordedBodies.completed),
        ])
        let (client, provider) = try client(transport)
        let error = try await #require(throws: MantleError.self) { try await client.retrieveResponse(id: "resp_1", model: "openai.gpt-oss-120b") }
        #expect(error.isUnauthorized)
        #expect(error.classification == .permanent)
        #expect(error.requestID == "req_401")
        #expect(!error.description.contains(Self.key))
        #expect(!String(reflecting: error).contains(Self.key))
        // The 401 dropped the cached key and it was read again at once; being the same key, the
        // request was not sent again (a rotated file or a freshly minted key would have been).
        #expect(await provider.refreshCount == 2, "the 401 reads or mints the key again")
        #expect(await transport.requests.count == 1)
        _ = try await client.retrieveResponse(id: "resp_1", model: "openai.gpt-oss-120b")
        #expect(await provider.refreshCount == 2, "the key read after the 401 is the one used next")
    }

    @Test func throttlingTimeoutsAndForeignAnswers() async throws {
        let transport = RecordedTransport([
            .response(status: 429, headers: ["retry-after-ms": "2500"], body: #"{"error":{"type":"rate_limit_error","code":"rate_limit_exceeded","message":"Too many tokens"}}"#),
            .failure(.timeout),
            .failure(.connectionRefused),
            .response(status: 200, headers: [:], body: RecordedBodies.bedrockRuntimeUnknownOperation),
        ])
        let (client, _) = try client(transport)
        let request = ResponseCreateRequest(model: "openai.gpt-oss-120b", input: .text("hi"))

        let throttled = try await #require(throws: MantleError.self) { try await client.createResponse(request) }
        #expect(throttled.isRetryable && throttled.retryAfter == .milliseconds(2500) && !throttled.mayHaveBeenCreated)
        let timedOut = try await #require(throws: MantleError.self) { try await client.createResponse(request) }
        #expect(timedOut.kind == .transport && timedOut.isRetryable && timedOut.mayHaveBeenCreated)
        #expect(timedOut.operation == .createResponse)
        let refused = try await #require(throws: MantleError.self) { try await client.createResponse(request) }
        #expect(refused.isRetryable && !refused.mayHaveBeenCreated)
        let foreign = try await #require(throws: MantleError.self) { try await client.createResponse(request) }
        #expect(foreign.kind == .invalidResponse && foreign.message.contains("bedrock-runtime"))
        #expect(!foreign.description.contains(Self.key))
    }
}
