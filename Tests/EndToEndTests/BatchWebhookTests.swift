import Foundation
import Testing
import TestSupport

/// `longhaul batch DIR --webhook URL` exits only once the run's webhooks have gone out:
/// each job's event and `batch.completed` are at the receiver when the command returns.
@Suite("longhaul batch --webhook")
struct BatchWebhookTests {
    /// The receiver fails each event's first attempt, so every event goes out on its 5-second retry:
    /// a command that stopped when the jobs ended would leave them all in the outbox.
    @Test("every job's event and batch.completed have arrived when the command exits, retries included")
    func webhooksBeforeExit() async throws {
        let (run, received) = try await TestDatabase.withFreshDatabase(named: "batch_webhook") { database in
            try await WebhookReceiver.with(secrets: ["whsec_" + Data(repeating: 7, count: 32).base64EncodedString()]) { receiver in
                let root = try TemporaryFolder(prefix: "longhaul-batch-webhook")
                for index in 0..<3 { try root.write("docs/note\(index).txt", "Note \(index): the ferry leaves at nine and returns at five.") }
                var runner = BatchRunner.inProcessSimulator(database: database.url)
                runner.environment["LONGHAUL_WEBHOOK_ALLOW_CIDRS"] = "127.0.0.0/8"
                let run = try await runner.run([root.path + "/docs", "--webhook", receiver.url("/fail/1")])
                return (run, try await receiver.received())
            }
        }
        #expect(run.exitCode == 0, "\(run.log)")
        let delivered = received.filter { $0.count == 2 }  // the second request of each webhook-id got the 200
        #expect(delivered.filter { $0.type == "job.completed" }.count == 3, "\(received.map { "\($0.type ?? "?")#\($0.count)" })\n\(run.log)")
        #expect(delivered.contains { $0.type == "batch.completed" }, "\(received.map { "\($0.type ?? "?")#\($0.count)" })\n\(run.log)")
    }
}
