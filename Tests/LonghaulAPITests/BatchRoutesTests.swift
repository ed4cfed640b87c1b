import Foundation
import HTTPTypes
import HummingbirdTesting
import LonghaulCore
import Postgres
import TestSupport
import Testing

@Suite("API batches")
struct BatchRoutesTests {
    @Test("POST /v1/batches enqueues every document and answers with the batch and its job ids")
    func create() async throws {
        try await APIHarness.run { api in
            let response = try await api.send(.post, "/v1/batches", token: api.alphaToken, object: [
                "name": "october reports", "model": "openai.gpt-oss-20b", "metadata": ["dept": "finance"],
                "documents": [
                    ["document": "First report text.", "custom_id": "r1"],
                    ["document": "Second report text.", "metadata": ["dept": "legal"]],
                    ["document": "Third report text.", "max_output_tokens": 500],
                ],
            ])
            #expect(response.status == .accepted, "\(response.text)")
            let batch = try #require(response.json["batch"] as? [String: Any])
            let batchID = try #require(batch["id"] as? String)
            #expect(batch["total_jobs"] as? Int == 3)
            #expect((batch["counts"] as? [String: Int])?["queued"] == 3)
            #expect(batch["finished"] as? Bool == false)
            let jobIDs = try #require(response.json["job_ids"] as? [String])
            #expect(jobIDs.count == 3)

            let fetched = try await api.send(.get, "/v1/batches/\(batchID)", token: api.alphaToken)
            #expect(fetched.status == .ok)
            #expect(fetched.json["name"] as? String == "october reports")
            let jobs = try await api.send(.get, "/v1/batches/\(batchID)/jobs", token: api.alphaToken)
            #expect(Set(jobs.ids) == Set(jobIDs))
            let first = try await api.send(.get, "/v1/jobs/\(jobIDs[0])", token: api.alphaToken)
            #expect(first.json["model"] as? String == "openai.gpt-oss-20b")
            #expect(first.json["source_path"] as? String == "r1")
            let second = try await api.send(.get, "/v1/jobs/\(jobIDs[1])", token: api.alphaToken)
            #expect((second.json["metadata"] as? [String: String])?["dept"] == "legal")
        }
    }

    @Test("a batch with a budget shows its cap, what is spent and reserved; a job its cap cannot admit waits with the reason")
    func budget() async throws {
        try await APIHarness.run { api in
            let response = try await api.send(.post, "/v1/batches", token: api.alphaToken, object: [
                "model": "openai.gpt-5.4", "max_output_tokens": 1000, "budget": ["max_cost": 0.02],
                "documents": [["document": "First report text."], ["document": "Second report text."]],
            ])
            #expect(response.status == .accepted, "\(response.text)")
            let batch = try #require(response.json["batch"] as? [String: Any])
            let budget = try #require(batch["budget"] as? [String: Any])
            #expect(budget["max_cost"] as? Double == 0.02 && budget["spent_cost"] as? Double == 0 && budget["reserved_cost"] as? Double == 0)
            #expect(budget["currency"] as? String == "USD" && budget["max_tokens"] == nil)

            // 1,000 output tokens at 16.50 per million: $0.0165 and a little input; $0.02 fits one.
            #expect(try await api.fixture.queue.claimJobs(worker: "w", limit: 10, lease: .seconds(60)).count == 1)
            let batchID = try #require(batch["id"] as? String)
            let fetched = try #require(try await api.send(.get, "/v1/batches/\(batchID)", token: api.alphaToken).json["budget"] as? [String: Any])
            #expect((fetched["reserved_cost"] as? Double ?? 0) > 0.0165)
            let jobIDs = try #require(response.json["job_ids"] as? [String])
            let waiting = try await api.send(.get, "/v1/jobs/\(jobIDs[1])", token: api.alphaToken).json["waiting"] as? [String: Any]
            #expect(waiting?["reason"] as? String == "batch_budget_reached", "\(String(describing: waiting))")

            // Raising the cap lets the waiting job run; clearing it removes it.
            let raised = try await api.send(.put, "/v1/batches/\(batchID)/budget", token: api.alphaToken, object: ["max_cost": 1])
            #expect(raised.status == .ok && (raised.json["budget"] as? [String: Any])?["max_cost"] as? Double == 1, "\(raised.text)")
            #expect(try await api.fixture.queue.claimJobs(worker: "w", limit: 10, lease: .seconds(60)).count == 1)
            let empty = try await api.send(.put, "/v1/batches/\(batchID)/budget", token: api.alphaToken, object: [:])
            #expect(empty.status == .badRequest, "\(empty.text)")
            let cleared = try await api.send(.delete, "/v1/batches/\(batchID)/budget", token: api.alphaToken)
            #expect(cleared.status == .ok && cleared.json["budget"] == nil, "\(cleared.text)")
            let unknown = try await api.send(.put, "/v1/batches/batch_nope/budget", token: api.alphaToken, object: ["max_tokens": 5])
            #expect(unknown.status == .notFound)

            let plain = try await api.send(.post, "/v1/batches", token: api.alphaToken, object: ["documents": [["document": "Text."]]])
            #expect((plain.json["batch"] as? [String: Any])?["budget"] == nil)
            let negative = try await api.send(.post, "/v1/batches", token: api.alphaToken, object: [
                "budget": ["max_cost": -1], "documents": [["document": "Text."]],
            ])
            #expect(negative.status == .badRequest, "\(negative.text)")
        }
    }

    @Test("one bad document refuses the whole batch, names it, and stores nothing")
    func allOrNothing() async throws {
        try await APIHarness.run { api in
            let response = try await api.send(.post, "/v1/batches", token: api.alphaToken, object: [
                "documents": [["document": "Fine text."], ["document": "Also fine."], ["document": "Bad model.", "model": "acme.unknown"]],
            ])
            #expect(response.status == .badRequest)
            #expect(response.errorParam == "documents[2].model")
            #expect(try await api.fixture.count("SELECT count(*) FROM batches") == 0)
            #expect(try await api.fixture.count("SELECT count(*) FROM jobs") == 0)

            let typed = try await api.send(.post, "/v1/batches", token: api.alphaToken, json: #"{"documents": [{"document": "ok"}, {"document": 7}]}"#)
            #expect(typed.status == .badRequest)
            #expect(typed.errorParam == "documents[1].document")

            let empty = try await api.send(.post, "/v1/batches", token: api.alphaToken, json: #"{"documents": []}"#)
            #expect(empty.status == .badRequest)
            #expect(empty.errorParam == "documents")

            let duplicate = try await api.send(.post, "/v1/batches", token: api.alphaToken, object: [
                "documents": [["document": "a b", "custom_id": "x"], ["document": "c d", "custom_id": "x"]],
            ])
            #expect(duplicate.errorParam == "documents[1].custom_id")
        }
    }
}
