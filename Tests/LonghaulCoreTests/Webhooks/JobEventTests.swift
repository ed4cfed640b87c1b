import Foundation
import Testing

@testable import LonghaulCore

@Suite("job.<state> event bodies, written by the worker")
struct JobEventTests {
    private static let event = JobEvent(
        jobID: 7, publicID: "job_01abc", projectID: 3, projectSlug: "team-a", batchID: 9, batchPublicID: "batch_01xyz",
        state: "completed", remoteStatus: "completed", model: "openai.gpt-oss-120b", responseID: "resp_1", attempt: 2,
        sourcePath: "notes/\"quoted\"\n.txt", metadataJSON: #"{"customer": "c-17", "ünï": "\"x\""}"#,
        createdAt: "2026-12-04 18:40:00.1239+00", finishedAt: "2026-12-04 18:40:01+00",
        usage: .init(inputTokens: 100, cachedTokens: nil, outputTokens: 20, reasoningTokens: 0, totalTokens: 120),
        errorCode: nil, errorMessage: nil, incompleteReason: nil)

    private func object(_ body: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    @Test("the thin body names the job, its usage, metadata and where to read the result")
    func thin() throws {
        let event = try object(Self.event.body(publicBaseURL: "https://lh.example", maxBytes: 20_000))
        #expect(event["type"] as? String == "job.completed")
        #expect(event["timestamp"] as? String == "2026-12-04T18:40:01.000Z")
        let data = try #require(event["data"] as? [String: Any])
        #expect(data["id"] as? String == "job_01abc")
        #expect(data["object"] as? String == "job")
        #expect(data["project"] as? String == "team-a")
        #expect(data["batch"] as? String == "batch_01xyz")
        #expect(data["attempt"] as? Int == 2)
        #expect(data["source_path"] as? String == "notes/\"quoted\"\n.txt")
        #expect(data["created_at"] as? String == "2026-12-04T18:40:00.123Z")
        #expect(data["finished_at"] as? String == "2026-12-04T18:40:01.000Z")
        #expect(data["result_url"] as? String == "https://lh.example/v1/jobs/job_01abc")
        let usage = try #require(data["usage"] as? [String: Any])
        #expect(usage["total_tokens"] as? Int == 120 && usage["cached_tokens"] is NSNull)
        #expect((data["metadata"] as? [String: Any])?["ünï"] as? String == "\"x\"")
        #expect(data["error"] is NSNull && data["incomplete_details"] is NSNull && data["result"] == nil)
        // Every member the SQL-built body had.
        #expect(data.keys.sorted() == [
            "attempt", "batch", "created_at", "error", "finished_at", "id", "incomplete_details", "metadata", "model", "object",
            "project", "remote_status", "response_id", "result_url", "source_path", "state", "usage",
        ])
    }

    @Test("the summary goes in only while the whole body stays within the limit")
    func withResult() throws {
        let small = try object(Self.event.body(publicBaseURL: "x", resultText: "The summary.", maxBytes: 20_000))
        #expect(((small["data"] as? [String: Any])?["result"] as? [String: Any])?["text"] as? String == "The summary.")
        // Quotes and newlines double when escaped: 11 KB of them do not fit in 20 KB.
        let large = Self.event.body(publicBaseURL: "x", resultText: String(repeating: "\"\n", count: 5500), maxBytes: 20_000)
        #expect(large.utf8.count <= 20_000)
        #expect((try object(large)["data"] as? [String: Any])?["result"] == nil)
    }

    @Test("a failed, an incomplete and a cancelled job say why; no usage is null")
    func unsuccessful() throws {
        var failed = Self.event
        failed.state = "failed"
        failed.usage = nil
        failed.errorCode = "server_error"
        failed.errorMessage = "boom"
        let data = try #require(try object(failed.body(publicBaseURL: "x", maxBytes: 20_000))["data"] as? [String: Any])
        #expect((data["error"] as? [String: Any])?["code"] as? String == "server_error")
        #expect(data["usage"] is NSNull)
        var incomplete = Self.event
        incomplete.incompleteReason = "max_output_tokens"
        let reason = try object(incomplete.body(publicBaseURL: "x", maxBytes: 20_000))["data"] as? [String: Any]
        #expect((reason?["incomplete_details"] as? [String: Any])?["reason"] as? String == "max_output_tokens")
    }

    @Test(
        "timestamps: the session's text to ISO 8601 milliseconds, cut as to_char cut them",
        arguments: [
            ("2026-12-04 18:40:01.123456+00", "2026-12-04T18:40:01.123Z"),
            ("2026-12-04 18:40:01.9999+00", "2026-12-04T18:40:01.999Z"),
            ("2026-12-04 18:40:01.5+00", "2026-12-04T18:40:01.500Z"),
            ("2026-12-04 18:40:01+00", "2026-12-04T18:40:01.000Z"),
            // Not a shape such a session prints: kept as it came.
            ("2026-12-04 18:40:01+05:30", "2026-12-04 18:40:01+05:30"),
            ("infinity", "infinity"),
        ])
    func timestamps(text: String, expected: String) {
        #expect(WebhookTimestamp.iso8601(postgres: text) == expected)
    }

    @Test("one row per endpoint in order, then the job's own URL with the thin body")
    func deliveries() throws {
        let announcement = JobAnnouncement(
            event: Self.event,
            endpoints: [.init(id: 1, url: "https://a.example", includeResult: false), .init(id: 2, url: "https://b.example", includeResult: true)],
            webhookURL: "https://per-job.example", resultText: "The summary.")
        let rows = announcement.deliveries(publicBaseURL: "x", maxBodyBytes: 20_000)
        #expect(rows.map(\.url) == ["https://a.example", "https://b.example", "https://per-job.example"])
        #expect(rows.map(\.endpointID) == [1, 2, nil])
        #expect(rows.allSatisfy { $0.eventType == "job.completed" && $0.jobID == 7 && $0.projectID == 3 && $0.batchID == 9 })
        #expect(rows.map { $0.body.contains("The summary.") } == [false, true, false])
        #expect(JobAnnouncement(event: Self.event, endpoints: [], webhookURL: nil).deliveries(publicBaseURL: "x", maxBodyBytes: 20_000).isEmpty)
    }
}
