import Foundation
import TestSupport
import Testing

@Suite("longhaul batch against an endpoint that stays down")
struct BatchOutageTests {
    @Test("it gives up with exit 75 and the reason, fails nothing, and a run after recovery completes every document")
    func givesUpThenResumes() async throws {
        try await StoreFixture.with("batch_outage") { fixture in
            let root = try TemporaryFolder(prefix: "longhaul-outage")
            for index in 1...6 { try root.write("docs/\(index).txt", "Document \(index). It says one thing, then another.") }
            let folder = root.path + "/docs"
            try await SimulatorProcess.with(["--speed", "50", "--fault-create-503", "1", "--fault-retrieve-503", "1"]) { simulator in
                let runner = BatchRunner.standalone(simulator, database: fixture.databaseURL)
                let started = ContinuousClock.now
                let down = try await runner.run([folder, "--give-up-after", "3s"], timeout: .seconds(90))
                #expect(down.exitCode == 75, "\(down.log)")
                #expect(ContinuousClock.now - started < .seconds(60), "took \(ContinuousClock.now - started)")
                #expect(down.standardOutput.contains("Gave up waiting after 0:03"), "\(down.log)")
                #expect(down.standardOutput.contains("Mantle endpoint is unavailable"), "\(down.log)")
                #expect(down.standardOutput.contains("stay queued"), "\(down.log)")
                #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'queued'") == 6)
                // A create the endpoint refused spends no attempt (one cut short by the exit may).
                #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE attempt > 1 OR finished_at IS NOT NULL") == 0)

                try await simulator.configure(#"{"createFaults": {"serviceUnavailable": 0}, "retrieveFaults": {"serviceUnavailable": 0}}"#)
                let up = try await runner.run([folder, "--give-up-after", "3s"], timeout: .seconds(90))
                #expect(up.exitCode == 0, "\(up.log)")
                #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'completed'") == 6)
            }
        }
    }
}
