import Foundation
import LonghaulCore
import MantleSimulator
import Testing
import TestSupport
import Workers

@Suite("Webhooks from a real run, verified by the standardwebhooks and svix Python libraries")
struct DeliveryInteropTests {
    @Test("jobs through the pipeline: every event arrives signed, per-job URLs with the project's secret, and a rotation keeps both secrets verifying")
    func pipelineDeliveries() async throws {
        try await WebhookReceiver.with(secrets: []) { receiver in
            var workers = try WorkerConfiguration.delivering()
            workers.pollSchedule = WorkerConfiguration.fast.pollSchedule
            try await PipelineHarness.with("interop_webhooks", simulator: .quick, workers: workers) { harness in
                let project = try await harness.project("hooked")
                let webhooks = WebhookStore(pool: harness.fixture.pool)
                let (endpoint, issued) = try await webhooks.addEndpoint(projectID: project.id, url: receiver.url("/ok"))
                let projectSecret = try #require(try await webhooks.signingSecrets(projectID: project.id, endpoint: nil).first)
                try await receiver.setSecrets([issued.secret, projectSecret])

                let batch = try await harness.fixture.batches.createBatch(project: project, name: "interop", source: nil, webhookURL: nil)
                let batched = try await harness.fixture.enqueue(8, into: project, batchID: batch.id)
                let perJob = try await harness.fixture.store.enqueue(
                    [harness.fixture.validated(JobRequest(document: "A note for the per-job URL.", webhookURL: receiver.url("/per-job")))],
                    project: project)
                let jobIDs = (batched + perJob).map(\.publicID)
                _ = try await harness.waitForTerminal(jobIDs)
                let log = try await receiver.waitFor("9 job events, batch.completed and the per-job event") { log in
                    log.filter { $0.path == "/ok" }.count == 10 && log.contains { $0.path == "/per-job" }
                }
                let endpointEvents = log.filter { $0.path == "/ok" }
                #expect(endpointEvents.allSatisfy { $0.verifies(secret: 0) && !$0.verifies(secret: 1) })
                #expect(Set(endpointEvents.compactMap(\.type)) == ["job.completed", "batch.completed"])
                let perJobEvent = try #require(log.first { $0.path == "/per-job" })
                #expect(perJobEvent.verifies(secret: 1) && !perJobEvent.verifies(secret: 0))
                // The webhook-id is the delivery's stable id, and the body names the job.
                // Attempts are written in batches just after the receiver answers: wait for them.
                var stored = try await DeliveryStore(pool: harness.fixture.pool).list(projectID: project.id, limit: 100)
                for _ in 0..<100 where !stored.allSatisfy({ $0.state == .succeeded }) {
                    try await Task.sleep(for: .milliseconds(50))
                    stored = try await DeliveryStore(pool: harness.fixture.pool).list(projectID: project.id, limit: 100)
                }
                #expect(Set(stored.map(\.publicID)) == Set(log.map(\.id)))
                #expect(stored.allSatisfy { $0.state == .succeeded && $0.attempts == 1 })
                let bodies = endpointEvents.filter { $0.type == "job.completed" }.map(\.body)
                #expect(Set(jobIDs.filter { id in bodies.contains { $0.contains(id) } }).count == 9)

                // Rotate the endpoint's secret: receivers holding either secret keep verifying.
                let rotated = try await webhooks.rotateSecret(projectID: project.id, endpoint: endpoint.publicID)
                try await receiver.setSecrets([issued.secret, rotated.secret])
                let after = try await harness.fixture.enqueue(3, into: project).map(\.publicID)
                _ = try await harness.waitForTerminal(after)
                let rotatedLog = try await receiver.waitFor("3 events after the rotation") { $0.filter { $0.path == "/ok" }.count == 13 }
                let newEvents = rotatedLog.filter { $0.path == "/ok" }.suffix(3)
                #expect(newEvents.allSatisfy { $0.verifies(secret: 0) && $0.verifies(secret: 1) })
                #expect(newEvents.allSatisfy { $0.signature.split(separator: " ").count == 2 })
            }
        }
    }
}
