import Foundation
import LonghaulCore
import MantleSimulator
import Postgres
import Testing
import TestSupport
import Workers

@Suite("Budgets with the workers running: what is spent is what the calls used, and the cap holds")
struct BudgetPipelineTests {
    @Test("a token cap runs the jobs that fit and stops; what it spent equals the stored usage; warning and reached fire once; raising it finishes the rest")
    func capStopsAndResumes() async throws {
        try await PipelineHarness.with("budget_pipeline", simulator: .quick) { harness in
            let project = try await harness.project("capped", maxInFlight: 4)
            _ = try await WebhookStore(pool: harness.fixture.pool).addEndpoint(projectID: project.id, url: "https://hooks.example/ops")
            let budgets = BudgetStore(pool: harness.fixture.pool)
            // Set before anything is queued, so that no job runs outside the cap.
            try await budgets.set(projectID: project.id, period: .total, maxTokens: 2_000, maxCost: nil)
            let ids = try await harness.fixture.enqueue(30, into: project).map(\.publicID)

            try await harness.waitUntil("the cap stopped the work") {
                let state = try await budgets.budgets(projectID: project.id).first
                return state?.blocksNextJob == true && state?.reservedTokens == 0
            }
            let state = try #require(try await budgets.budgets(projectID: project.id).first)
            let used = try await harness.fixture.count("SELECT coalesce(sum(input_tokens + output_tokens), 0) FROM results")
            #expect(state.spentTokens == Int64(used), "the cap counted \(state.spentTokens) tokens, the results hold \(used)")
            #expect(state.spentTokens <= 2_000)
            let worst = try await harness.fixture.count("SELECT max(estimated_input_tokens + max_output_tokens) FROM jobs")
            #expect(2_000 - Int(state.spentTokens) < worst, "a job that fits was left waiting")
            let completed = try await harness.fixture.count("SELECT count(*) FROM jobs WHERE state = 'completed'")
            #expect(completed > 0 && completed < 30)
            #expect(try await harness.fixture.count("SELECT count(*) FROM jobs WHERE state = 'queued'") == 30 - completed)

            try await budgets.set(projectID: project.id, period: .total, maxTokens: 1_000_000, maxCost: nil)
            let jobs = try await harness.waitForTerminal(ids)
            #expect(jobs.allSatisfy { $0.state == .completed })
            let events = try await harness.fixture.strings(
                "SELECT event_type FROM deliveries WHERE event_type LIKE 'project.budget%' ORDER BY id")
            #expect(events == ["project.budget_warning", "project.budget_reached"] || events == ["project.budget_reached"], "\(events)")
        }
    }
}
