import Foundation
import MantleSimulator
import Testing
import TestSupport

/// Ctrl-C during `longhaul batch`, then the same command again: it picks up where it stopped.
@Suite("longhaul batch, interrupted and resumed")
struct BatchResumeTests {
    static let documentCount = 24

    @Test("SIGINT exits 130 and says how to come back; the rerun completes without submitting anything twice")
    func interruptAndResume() async throws {
        try await StoreFixture.with("batch_resume") { fixture in
            let root = try TemporaryFolder(prefix: "longhaul-batch")
            for index in 0..<Self.documentCount {
                try root.write("docs/report-\(index).txt", "Report \(index). The harbour handled \(index * 10) ships this week. Storms closed it twice.")
            }
            let folder = root.path + "/docs"
            // Real time, 1–20 s per Response: a few finish early, most are still running at the
            // interrupt, with seconds to spare between the two even on a loaded machine.
            try await SimulatorProcess.with(["--speed", "1", "--min-duration", "1", "--max-duration", "20"]) { simulator in
                let runner = BatchRunner.standalone(simulator, database: fixture.databaseURL)

                try await runner.withStarted([folder]) { first in
                    var completed = 0
                    let deadline = ContinuousClock.now + .seconds(30)
                    while completed < 2 && ContinuousClock.now < deadline && first.isRunning {
                        try await Task.sleep(for: .milliseconds(100))
                        completed = try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'completed'")
                    }
                    try #require(completed >= 2 && completed < Self.documentCount, "could not interrupt mid-way (\(completed) completed):\n\(first.log())")
                    first.signal(SIGINT)
                    let code = await first.waitForExit(timeout: .seconds(20))
                    #expect(code == 130, "\(first.log())")
                    #expect(first.standardOutput().contains("run the same command again"), "\(first.log())")
                    #expect(first.standardOutput().contains("longhaul batch \(folder)"), "\(first.log())")
                }

                // Nothing is left leased to the stopped process, nor stuck between states.
                let leased = try await fixture.strings("SELECT public_id || ' ' || state FROM jobs WHERE lease_owner IS NOT NULL OR state = 'submitting'")
                #expect(leased.isEmpty, "jobs left leased or submitting after Ctrl-C: \(leased)")
                let completedFirst = try await fixture.strings("SELECT public_id FROM jobs WHERE state = 'completed'")
                let before = try await simulator.counters()
                #expect(before.duplicateAttempts.isEmpty, "\(before.duplicateAttempts)")

                let second = try await runner.run([folder])
                let after = try await simulator.counters()
                #expect(second.exitCode == 0, "\(second.log)")
                #expect(second.standardError.contains("\(Self.documentCount) documents enqueued (\(Self.documentCount) from an earlier run"), "\(second.log)")
                #expect(second.standardOutput.contains("\(Self.documentCount) files: \(Self.documentCount) completed"), "\(second.log)")
                #expect(after.duplicateAttempts.isEmpty, "an attempt was created twice: \(after.duplicateAttempts)")
                for job in completedFirst {
                    #expect(after.creates(jobID: job) == 1, "\(job) completed in the first run but was submitted again: \(after.createsByJob[job] ?? [:])")
                }
                #expect(after.createsByJob.count == Self.documentCount, "\(after.createsByJob)")
                let manifest = try BatchManifest(contentsOf: root.url("docs.summaries/manifest.jsonl"))
                #expect(manifest.lines.count == Self.documentCount)
                #expect(manifest.lines.allSatisfy { $0["state"] as? String == "completed" }, "\(manifest.lines)")
            }
        }
    }

    @Test("SIGINT while creates hang: exit 130 after the grace period, every job back on the queue, none leased; the rerun completes")
    func interruptWhileSubmitting() async throws {
        try await StoreFixture.with("batch_resume_hang") { fixture in
            let root = try TemporaryFolder(prefix: "longhaul-batch")
            for index in 0..<5 { try root.write("docs/note-\(index).txt", "Note \(index). The ferry left on time.") }
            let folder = root.path + "/docs"
            try await SimulatorProcess.with(["--speed", "50", "--fault-create-hang", "1.0"]) { hanging in
                try await BatchRunner.standalone(hanging, database: fixture.databaseURL).withStarted([folder]) { first in
                    var submitting = 0
                    let deadline = ContinuousClock.now + .seconds(30)
                    while submitting < 5 && ContinuousClock.now < deadline && first.isRunning {
                        try await Task.sleep(for: .milliseconds(100))
                        submitting = try await fixture.count("SELECT count(*) FROM jobs WHERE state = 'submitting'")
                    }
                    try #require(submitting == 5, "the creates never started:\n\(first.log())")
                    let interruptedAt = ContinuousClock.now
                    first.signal(SIGINT)
                    let code = await first.waitForExit(timeout: .seconds(30))
                    let stopTook = ContinuousClock.now - interruptedAt
                    #expect(code == 130, "\(first.log())")
                    // The grace period is 7 s; the rest is room for a loaded machine. What it rules out is
                    // waiting for the hung creates, which never answer.
                    #expect(stopTook < .seconds(20), "the stop took \(stopTook), longer than the grace period")
                    #expect(first.standardError().contains("interrupted: stopping; calls in flight get up to"), "\(first.log())")
                }
            }
            let states = try await fixture.strings("SELECT state || coalesce(' leased by ' || lease_owner, '') FROM jobs")
            #expect(states == Array(repeating: "queued", count: 5), "\(states)")

            let (second, counters) = try await BatchRunner.runStandalone([folder], simulator: ["--speed", "50"], database: fixture.databaseURL)
            #expect(second.exitCode == 0, "\(second.log)")
            #expect(counters.responsesCreated == 5 && counters.duplicateAttempts.isEmpty, "\(counters.createsByJob)")
        }
    }
}
