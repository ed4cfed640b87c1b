import Foundation
import LonghaulCore
import Postgres
import TestSupport
import Testing

@Suite("Webhook payloads written by the outbox")
struct WebhookPayloadTests {
    /// Runs every queued job of the fixture through submit and poll, ending each with `result`.
    private func finishAll(_ fixture: StoreFixture, with result: RemoteResult) async throws {
        let claimed = try await fixture.queue.claimJobs(worker: "w", limit: 100, lease: .seconds(30))
        try await fixture.queue.recordSubmissions(
            claimed.map { .accepted(jobID: $0.id, attempt: $0.attempt, responseID: "resp_\($0.id)", remoteStatus: "in_progress", firstPollIn: .zero, startedAt: Date()) },
            worker: "w")
        let polls = try await fixture.queue.claimPolls(worker: "p", limit: 100, lease: .seconds(30))
        _ = try await fixture.queue.recordPolls(polls.map { .finished(jobID: $0.id, attempt: $0.attempt, result) }, worker: "p")
    }

    private func bodies(_ fixture: StoreFixture, endpoint: String? = nil) async throws -> [(String, [String: Any])] {
        let rows = try await fixture.pool.query("""
            SELECT d.event_type, d.body FROM deliveries d LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id
            WHERE \(endpoint)::text IS NULL OR e.public_id = \(endpoint) ORDER BY d.id
            """)
        return try rows.map { row in
            let body: String = try row.decode("body")
            #expect(body.utf8.count <= 20_000)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            return (try row.decode("event_type"), object)
        }
    }

    @Test("job.completed carries ids, usage, metadata and result_url; the summary only for endpoints that ask, and only under 20 KB")
    func completed() async throws {
        try await StoreFixture.with("payload") { fixture in
            let project = try await fixture.project("team-a")
            let webhooks = WebhookStore(pool: fixture.pool)
            let (thin, _) = try await webhooks.addEndpoint(projectID: project.id, url: "https://hooks.example/thin")
            let (full, _) = try await webhooks.addEndpoint(projectID: project.id, url: "https://hooks.example/full", includeResult: true)
            let (failedOnly, _) = try await webhooks.addEndpoint(projectID: project.id, url: "https://hooks.example/f", eventTypes: [.jobFailed])
            let batch = try await fixture.batches.createBatch(project: project, name: "b", source: nil, webhookURL: nil)
            let jobs = try await fixture.store.enqueue(
                [fixture.validated(JobRequest(document: "A short note.", metadata: ["customer": "c-17"], webhookURL: "https://per-job.example/x"))],
                project: project, batchID: batch.id)
            let usage = Usage(inputTokens: 100, cachedTokens: 0, outputTokens: 20, reasoningTokens: 0)
            try await finishAll(fixture, with: RemoteResult(state: .completed, remoteStatus: "completed", outputText: "The summary.", usage: usage))

            let thinBodies = try await bodies(fixture, endpoint: thin.publicID)
            #expect(thinBodies.map(\.0) == ["job.completed", "batch.completed"])
            let event = thinBodies[0].1
            #expect(event["type"] as? String == "job.completed")
            #expect((event["timestamp"] as? String)?.hasSuffix("Z") == true)
            let data = try #require(event["data"] as? [String: Any])
            #expect(data["id"] as? String == jobs[0].publicID)
            #expect(data["project"] as? String == "team-a")
            #expect(data["batch"] as? String == batch.publicID)
            #expect(data["state"] as? String == "completed")
            #expect(data["response_id"] as? String != nil)
            #expect((data["usage"] as? [String: Any])?["total_tokens"] as? Int == 120)
            #expect((data["metadata"] as? [String: Any])?["customer"] as? String == "c-17")
            #expect((data["result_url"] as? String)?.hasSuffix("/v1/jobs/\(jobs[0].publicID)") == true)
            #expect(data["result"] == nil)

            let fullData = try #require(try await bodies(fixture, endpoint: full.publicID).first?.1["data"] as? [String: Any])
            #expect((fullData["result"] as? [String: Any])?["text"] as? String == "The summary.")
            #expect(try await bodies(fixture, endpoint: failedOnly.publicID).isEmpty)
            #expect(try await fixture.count("SELECT count(*) FROM deliveries WHERE endpoint_id IS NULL AND url = 'https://per-job.example/x'") == 1)
            let batchData = try #require(thinBodies[1].1["data"] as? [String: Any])
            #expect(batchData["id"] as? String == batch.publicID)
            #expect((batchData["counts"] as? [String: Any])?["completed"] as? Int == 1)
        }
    }

    @Test("a message's id is msg_ and 32 hex digits, the first 12 the milliseconds it was written: ids grow with time (migration 0026)")
    func messageIDsGrowWithTime() async throws {
        try await StoreFixture.with("message-ids") { fixture in
            let project = try await fixture.project("ids")
            _ = try await WebhookStore(pool: fixture.pool).addEndpoint(projectID: project.id, url: "https://hooks.example/ids")
            let result = RemoteResult(state: .completed, remoteStatus: "completed", outputText: "Done.", usage: nil)
            let before = Date()
            for round in 0..<3 {
                let batch = try await fixture.batches.createBatch(project: project, name: "b\(round)", source: nil, webhookURL: nil)
                try await fixture.enqueue(2, into: project, batchID: batch.id)
                try await finishAll(fixture, with: result)
                try await Task.sleep(for: .milliseconds(3))
            }
            let ids = try await fixture.strings("SELECT public_id FROM deliveries ORDER BY id")
            #expect(ids.count == 9, "two job.completed and a batch.completed a round")
            #expect(Set(ids).count == ids.count)
            let milliseconds = try ids.map { id in
                #expect(id.wholeMatch(of: /msg_[0-9a-f]{32}/) != nil, "\(id)")
                return try #require(Int64(id.dropFirst(4).prefix(12), radix: 16))
            }
            #expect(milliseconds == milliseconds.sorted())
            let written = Int64(before.timeIntervalSince1970 * 1000)
            #expect(milliseconds.allSatisfy { ($0 - written) >= -1000 && ($0 - written) < 60_000 })
            #expect(Set(milliseconds).count >= 3, "three rounds, milliseconds apart")
        }
    }

    @Test("result_url starts with the configured public URL of the API")
    func publicURL() async throws {
        try await StoreFixture.with("payload_public_url") { fixture in
            let project = try await fixture.project("team-b")
            _ = try await WebhookStore(pool: fixture.pool).addEndpoint(projectID: project.id, url: "https://hooks.example/b")
            let store = JobStore(pool: fixture.pool, publicBaseURL: "https://longhaul.example.com")
            let job = try #require(try await fixture.enqueue(1, into: project).first)
            #expect(try await store.cancel(publicID: job.publicID, projectID: project.id) == .cancelled)
            let data = try #require(try await bodies(fixture).first?.1["data"] as? [String: Any])
            #expect(data["result_url"] as? String == "https://longhaul.example.com/v1/jobs/\(job.publicID)")
        }
    }

    @Test("a summary that would push the body past 20 KB is left out; failed and incomplete jobs say why")
    func largeAndUnsuccessful() async throws {
        try await StoreFixture.with("payload_large") { fixture in
            let project = try await fixture.project("team-a")
            let (full, _) = try await WebhookStore(pool: fixture.pool).addEndpoint(projectID: project.id, url: "https://hooks.example/full", includeResult: true)
            try await fixture.enqueue(1, into: project)
            // Quotes and newlines double in size when escaped: 11 KB of them do not fit in 20 KB.
            let text = String(repeating: "\"\n", count: 5500)
            try await finishAll(fixture, with: RemoteResult(state: .completed, remoteStatus: "completed", outputText: text))
            let data = try #require(try await bodies(fixture, endpoint: full.publicID).first?.1["data"] as? [String: Any])
            #expect(data["result"] == nil && data["result_url"] != nil)

            try await fixture.enqueue(1, into: project)
            try await finishAll(fixture, with: RemoteResult(state: .failed, remoteStatus: "failed", errorCode: "server_error", errorMessage: "boom"))
            try await fixture.enqueue(1, into: project)
            try await finishAll(fixture, with: RemoteResult(state: .incomplete, remoteStatus: "incomplete", incompleteReason: "max_output_tokens"))
            let all = try await bodies(fixture, endpoint: full.publicID)
            #expect(all.map(\.0) == ["job.completed", "job.failed", "job.incomplete"])
            let failed = try #require(all[1].1["data"] as? [String: Any])
            #expect((failed["error"] as? [String: Any])?["code"] as? String == "server_error")
            let incomplete = try #require(all[2].1["data"] as? [String: Any])
            #expect((incomplete["incomplete_details"] as? [String: Any])?["reason"] as? String == "max_output_tokens")
        }
    }
}
