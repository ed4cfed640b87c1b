import Foundation
import HTTPTypes
import LonghaulCore
import Postgres
import TestSupport
import Testing

/// `/v1/projects/{project}/model-limits`: a project's own window for a model, used when its
/// jobs are planned; the admin sets it, the project reads it.
@Suite("Model limits per project")
struct ModelLimitRoutesTests {
    /// About 10,000 estimated tokens: one call in gpt-oss's 131,072-token window, twelve or so in 2,000.
    static let document = (1...40).map {
        "## Part \($0)\n\n" + String(repeating: "The tide rose at dawn and the boats went out. ", count: 20)
    }
    .joined(separator: "\n\n")

    @Test func anOverriddenWindowSplitsTheProjectsJobsAndOnlyTheirs() async throws {
        try await APIHarness.run { api in
            let path = "/v1/projects/alpha/model-limits/openai.gpt-oss-120b"
            let refused = try await api.send(.put, path, token: api.alphaToken, object: ["context_window": 4_000])
            #expect(refused.status == .forbidden)
            let tooSmall = try await api.send(.put, path, object: ["context_window": 100])
            #expect(tooSmall.status == .badRequest && tooSmall.errorParam == "context_window", "\(tooSmall.text)")

            let set = try await api.send(.put, path, object: ["context_window": 4_000, "max_output_tokens": 1_000])
            #expect(set.status == .ok, "\(set.text)")
            let row = try #require(set.data.first)
            #expect(row["model"] as? String == "openai.gpt-oss-120b" && row["context_window"] as? Int == 4_000)
            #expect(row["max_output_tokens"] as? Int == 1_000 && row["table_context_window"] as? Int == 131_072)
            let listed = try await api.send(.get, "/v1/projects/alpha/model-limits", token: api.alphaToken)
            #expect(listed.status == .ok && listed.data.count == 1)

            // alpha's job does not fit its 4,000-token window: split, and cut to fit it; beta's is one call.
            let request: [String: Any] = ["document": Self.document, "model": "openai.gpt-oss-120b", "max_output_tokens": 500]
            let alphaJob = try await api.send(.post, "/v1/jobs", token: api.alphaToken, object: request)
            let betaJob = try await api.send(.post, "/v1/jobs", token: api.betaToken, object: request)
            #expect(alphaJob.json["state"] as? String == "waiting_for_children", "\(alphaJob.text)")
            #expect(betaJob.json["state"] as? String == "queued", "\(betaJob.text)")
            #expect(try await api.fixture.queue.advanceSplitJobs() == 1)
            let sizes = try await api.fixture.pool.query("SELECT estimated_input_tokens FROM jobs WHERE parent_id IS NOT NULL")
                .map { try $0.decode(at: 0, as: Int.self) }
            #expect(sizes.count >= 3)
            #expect(
                sizes.allSatisfy { Double($0) * ContextBudget.estimateMargin + Double(ContextBudget.templateTokens) + 500 <= 4_000 },
                "\(sizes)")

            // A `single` job that does not fit the project's window is refused with its figures.
            var single = request
            single["strategy"] = "single"
            let refusedSingle = try await api.send(.post, "/v1/jobs", token: api.alphaToken, object: single)
            #expect(refusedSingle.status == .badRequest && refusedSingle.errorCode == "context_length_exceeded", "\(refusedSingle.text)")
            #expect((refusedSingle.error["message"] as? String)?.contains("4000-token window") == true, "\(refusedSingle.text)")

            let cleared = try await api.send(.delete, path)
            #expect(cleared.status == .ok && cleared.data.isEmpty)
            #expect(try await api.send(.delete, path).status == .notFound)
        }
    }

    @Test("a project's own entry names the API of a model the table does not know: enqueue takes it, routed so, and lists it")
    func anEntryNamesTheAPIOfANewModel() async throws {
        try await APIHarness.run { api in
            let newModel = "amazon.nova-premier-v2"
            let unknown = try await api.send(.post, "/v1/jobs", token: api.alphaToken, object: ["document": "A note.", "model": newModel])
            #expect(unknown.status == .badRequest && unknown.errorCode == "unsupported_model", "\(unknown.text)")

            let wrongAPI = try await api.send(
                .put, "/v1/projects/alpha/model-limits/openai.gpt-oss-120b", object: ["context_window": 131_072, "api": "anthropic_messages"])
            #expect(wrongAPI.status == .badRequest && wrongAPI.errorParam == "api", "\(wrongAPI.text)")
            #expect((wrongAPI.error["message"] as? String)?.contains("responses or chat_completions") == true, "\(wrongAPI.text)")

            let set = try await api.send(
                .put, "/v1/projects/alpha/model-limits/\(newModel)", object: ["context_window": 300_000, "api": "chat_completions"])
            #expect(set.status == .ok && set.data.first?["api"] as? String == "chat_completions", "\(set.text)")
            let job = try await api.send(.post, "/v1/jobs", token: api.alphaToken, object: ["document": "A note.", "model": newModel])
            #expect(job.status == .accepted && job.json["state"] as? String == "queued", "\(job.text)")
            let row = try await api.fixture.strings("SELECT (params->>'api') || ' ' || held::text FROM jobs")
            #expect(row == ["chat_completions true"], "a held stream through Chat Completions")
            // Only alpha vouched for it.
            let beta = try await api.send(.post, "/v1/jobs", token: api.betaToken, object: ["document": "A note.", "model": newModel])
            #expect(beta.status == .badRequest && beta.errorCode == "unsupported_model")

            let models = try await api.send(.get, "/v1/models?project=alpha", token: api.alphaToken)
            let listed = models.data.first { $0["id"] as? String == newModel }
            #expect(listed?["api"] as? String == "chat_completions" && listed?["context_window"] as? Int == 300_000, "\(models.text)")
        }
    }
}
