import Logging
import LonghaulCore
import Prometheus
import TestSupport
import Testing

@testable import Workers

@Suite("Queue gauges: what /metrics shows of the queue and the budgets, from a real PostgreSQL")
struct QueueGaugesTests {
    @Test("jobs by state, and each spending cap's limit, spent, reserved and blocked, per project and period")
    func jobsAndBudgets() async throws {
        try await StoreFixture.with("gauges") { fixture in
            let project = try await fixture.project("team")
            try await fixture.enqueue(2, into: project, maxOutputTokens: 100)
            let budgets = BudgetStore(pool: fixture.pool)
            // A cap smaller than one job's worst case: the next job is blocked.
            try await budgets.set(projectID: project.id, period: .month, maxTokens: 50, maxCost: nil)
            let registry = PrometheusCollectorRegistry()
            let gauges = QueueGauges(queue: fixture.queue, logger: fixture.logger, factory: PrometheusMetricsFactory(registry: registry))
            await gauges.sample()

            let text = String(decoding: registry.emitToBuffer(), as: UTF8.self)
            #expect(text.contains(#"longhaul_jobs{state="queued",project="team"} 2"#), "\(text)")
            #expect(text.contains(#"longhaul_budget_limit{project="team",period="month",unit="tokens"} 50"#), "\(text)")
            #expect(text.contains(#"longhaul_budget_spent{project="team",period="month",unit="tokens"} 0"#), "\(text)")
            #expect(text.contains(#"longhaul_budget_reserved{project="team",period="month",unit="tokens"} 0"#), "\(text)")
            #expect(text.contains(#"longhaul_budget_blocked{project="team",period="month"} 1"#), "\(text)")
            // No cap in money was set: no cost gauges for it.
            #expect(!text.contains(#"unit="cost""#), "\(text)")
        }
    }
}
