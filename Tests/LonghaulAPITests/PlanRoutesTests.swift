import Foundation
import HTTPTypes
import LonghaulAPI
import LonghaulCore
import TestSupport
import Testing

/// `POST /v1/jobs/plan` and `POST /v1/batches` with `dry_run`: the plan, and nothing stored.
@Suite("API plans")
struct PlanRoutesTests {
    @Test("a job's plan and a batch's dry run answer 200 with calls, tokens and cost; nothing is stored")
    func plans() async throws {
        try await APIHarness.run(configuration: LongDocumentRoutesTests.scaled) { api in
            try await UsageStore(pool: api.fixture.pool).setPrice(ModelPrice(model: "openai.gpt-oss-120b", inputPerMillion: 0.15, outputPerMillion: 0.6))

            let one = try await api.send(.post, "/v1/jobs/plan", token: api.alphaToken, object: ["document": "A short note.", "max_output_tokens": 200])
            #expect(one.status == .ok, "\(one.text)")
            #expect(one.json["object"] as? String == "plan" && one.json["calls"] as? Int == 1 && one.json["worst_output_tokens"] as? Int == 200)
            #expect(one.json["currency"] as? String == "USD" && (one.json["worst_cost"] as? Double ?? 0) > 0)

            let batch = try await api.send(.post, "/v1/batches", token: api.alphaToken, object: [
                "dry_run": true, "max_output_tokens": 200,
                "documents": [["document": "A short note.", "custom_id": "note"], ["document": LongDocumentRoutesTests.long, "custom_id": "log"]],
            ])
            #expect(batch.status == .ok, "\(batch.text)")
            let documents = try #require(batch.json["documents"] as? [[String: Any]])
            #expect(documents.map { $0["custom_id"] as? String } == ["note", "log"])
            #expect(documents.first?["levels"] as? Int == 1 && (documents.last?["levels"] as? Int ?? 0) >= 2, "the long document is split: \(documents)")
            #expect(batch.json["calls"] as? Int == documents.reduce(0) { $0 + ($1["calls"] as? Int ?? 0) })

            let refused = try await api.send(.post, "/v1/jobs/plan", token: api.alphaToken, object: ["document": "x", "max_output_tokens": 8])
            #expect(refused.status == .badRequest && refused.errorParam == "max_output_tokens")
            #expect(try await api.fixture.count("SELECT count(*) FROM jobs") == 0)
            #expect(try await api.fixture.count("SELECT count(*) FROM batches") == 0)
        }
    }
}
