import Foundation
import LonghaulCore
import MantleSimulator
import TestSupport
import Testing

/// `longhaul batch DIR --plan` from the built binary: what a run will do, with no call made and
/// nothing stored, and a plan that agrees with the run that follows it.
@Suite("longhaul batch --plan")
struct BatchPlanTests {
    static let paragraph =
        "The harbour authority met on Tuesday to review the winter schedule. Ferries will use the west pier from "
        + "1 December while the east pier is repaired; the repair costs 2.4 million and ends in March. "

    @Test("a plan makes no call and enqueues nothing; its input tokens match the run's usage; a resumed plan skips what is done")
    func planThenRunThenPlanAgain() async throws {
        let configuration = MantleSimulatorConfiguration(speed: 1000)
        try await withResource(try await MantleSimulator.start(configuration: configuration), close: { await $0.shutdown() }) { simulator in
            try await StoreFixture.with("batch_plan") { fixture in
                let root = try TemporaryFolder(prefix: "longhaul-plan")
                for (index, repeats) in [4, 12, 30].enumerated() {
                    try root.write("docs/\(index).txt", String(repeating: Self.paragraph, count: repeats))
                }
                let folder = root.path + "/docs"
                let runner = BatchRunner(environment: [
                    "DATABASE_URL": fixture.databaseURL, "OPENAI_BASE_URL": simulator.baseURL.absoluteString + "/v1",
                    "OPENAI_API_KEY": "any",
                ])
                try await UsageStore(pool: fixture.pool).setPrice(ModelPrice(model: "openai.gpt-oss-120b", inputPerMillion: 0.15, outputPerMillion: 0.6))

                let planned = try await runner.run([folder, "--plan", "--json", "--max-output-tokens", "400"])
                #expect(planned.exitCode == 0, "\(planned.log)")
                let plan = try #require(try Self.plan(in: planned.standardOutput), "\(planned.log)")
                #expect(plan["to_run"] as? Int == 3 && plan["calls"] as? Int == 3 && plan["worst_output_tokens"] as? Int == 1200)
                #expect(plan["currency"] as? String == "USD" && (plan["worst_cost"] as? Double ?? 0) > 0)
                #expect(simulator.counters().requestsByRoute.isEmpty, "the plan called Mantle: \(simulator.counters())")
                #expect(try await fixture.count("SELECT count(*) FROM jobs") == 0)
                #expect(try await fixture.count("SELECT count(*) FROM batches") == 0)

                let run = try await runner.run([folder, "--max-output-tokens", "400"])
                #expect(run.exitCode == 0, "\(run.log)")
                let used = try await fixture.count("SELECT sum(input_tokens) FROM results")
                let plannedInput = try #require(plan["input_tokens"] as? Int)
                // The plan counts the text; Mantle adds its chat template (7 + 4 per message here).
                let ratio = Double(plannedInput) / Double(used)
                #expect(ratio > 1 / 1.35 && ratio <= 1.0, "planned \(plannedInput) input tokens, the run used \(used)")

                let resumed = try await runner.run([folder, "--plan", "--json", "--max-output-tokens", "400"])
                let again = try #require(try Self.plan(in: resumed.standardOutput), "\(resumed.log)")
                #expect(again["to_run"] as? Int == 0 && again["already_done"] as? Int == 3 && again["calls"] as? Int == 0)
                // Now the project has completed jobs: an expected output, below the worst case.
                let documents = try #require(again["documents"] as? [[String: Any]])
                #expect(documents.allSatisfy { ($0["expected_output_tokens"] as? Int ?? 0) > 0 }, "\(documents)")

                let text = try await runner.run([folder, "--plan", "--max-output-tokens", "400"])
                #expect(text.standardOutput.contains("0 documents to run in 0 calls at most, 3 already done"), "\(text.log)")
                #expect(text.standardOutput.contains("done in an earlier run: skipped"), "\(text.log)")
                #expect(text.standardOutput.contains("nothing was enqueued and no call was made"), "\(text.log)")
            }
        }
    }

    static func plan(in output: String) throws -> [String: Any]? {
        let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        return object?["plan"] as? [String: Any]
    }
}
