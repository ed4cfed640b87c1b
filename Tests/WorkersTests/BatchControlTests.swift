import Foundation
import LonghaulCore
import MantleSimulator
import Testing
import TestSupport
import Workers

@Suite("A batch as one unit of work: retry what did not complete, results in document order")
struct BatchControlTests {
    static let long = String(repeating: "The committee met on Tuesday and agreed the budget for the new library wing. ", count: 40)

    @Test("retrying a batch reruns only its incomplete jobs with a larger max_output_tokens; results are JSON Lines in document order")
    func retryIncompleteThenResults() async throws {
        try await PipelineHarness.with("batch_control", simulator: .quick) { harness in
            let project = try await harness.project("team")
            let requests = (0..<6).map { index in
                JobRequest(document: Self.long, maxOutputTokens: index % 2 == 0 ? 500 : 16, sourcePath: "doc-\(index)")
            }
            let (batch, jobs) = try await harness.fixture.batches.enqueueBatch(
                try requests.map(harness.fixture.validated), project: project, name: "six", source: nil, webhookURL: nil)
            let first = try await harness.waitForTerminal(jobs.map(\.publicID))
            #expect(first.map(\.state) == [.completed, .incomplete, .completed, .incomplete, .completed, .incomplete])
            let completedResponses = first.filter { $0.state == .completed }.map(\.responseID)

            let retried = try await harness.fixture.batches.retry(
                batchPublicID: batch.publicID, projectID: project.id, BatchRetry(errorCode: "max_output_tokens", maxOutputTokens: 500))
            #expect(retried == 3)
            let second = try await harness.waitForTerminal(jobs.map(\.publicID))
            #expect(second.allSatisfy { $0.state == .completed })
            #expect(second.filter { $0.attempt == 1 }.map(\.responseID) == completedResponses, "completed work was redone")
            #expect(harness.simulator.counters().responsesCreated == 9)

            var body = Data()
            for try await page in try await harness.fixture.batches.resultLines(batchPublicID: batch.publicID, projectID: project.id) {
                body.append(contentsOf: page)
            }
            let lines = try String(decoding: body, as: UTF8.self).split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
            #expect(lines.map { $0["custom_id"] as? String } == (0..<6).map { "doc-\($0)" })
            #expect(lines.map { $0["job_id"] as? String } == jobs.map(\.publicID))
            #expect(lines.allSatisfy { $0["state"] as? String == "completed" && ($0["text"] as? String)?.isEmpty == false })
            #expect(lines.allSatisfy { (($0["usage"] as? [String: Any])?["total_tokens"] as? Int ?? 0) > 0 })
        }
    }
}
