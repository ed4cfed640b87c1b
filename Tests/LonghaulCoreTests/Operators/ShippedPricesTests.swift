import Foundation
import LonghaulCore
import TestSupport
import Testing

/// The prices Longhaul ships (longhaul_shipped_prices.function.sql) charge usage and budgets with no
/// operator price; an operator's price for the same model and tier wins until it is deleted.
@Suite("Shipped prices")
struct ShippedPricesTests {
    /// One million input tokens (none cached) and 100,000 output tokens.
    static let usage = Usage(inputTokens: 1_000_000, outputTokens: 100_000)

    /// Runs `body` on a fresh database with one finished `openai.gpt-5.4` job that used `usage`.
    static func withFinishedJob(_ name: String, _ body: (StoreFixture, UsageStore) async throws -> Void) async throws {
        try await StoreFixture.with(name) { fixture in
            let project = try await fixture.project("team")
            let jobs = try await fixture.enqueue([JobRequest(document: "1", model: "openai.gpt-5.4")], into: project)
            try await fixture.finish(jobs[0].id, .completed, usage: Self.usage)
            try await body(fixture, UsageStore(pool: fixture.pool))
        }
    }

    /// The cost the usage report gives `model`'s finished jobs.
    static func reportedCost(of model: String, _ usage: UsageStore) async throws -> Double? {
        try await usage.report(projectID: nil, from: nil, to: nil, groupBy: .model).first { $0.group == model }?.cost
    }

    @Test("a shipped price charges usage when no operator price is set")
    func shippedPriceApplies() async throws {
        try await Self.withFinishedJob("shipped_applies") { _, usage in
            // 1,000,000 × 2.75 + 100,000 × 16.50, per million.
            #expect(abs(try #require(try await Self.reportedCost(of: "openai.gpt-5.4", usage)) - 4.40) < 1e-9)
            let price = try #require(try await usage.prices().first { $0.model == "openai.gpt-5.4" })
            #expect(price.source.contains("STATIC_FALLBACK") && price.currency == "USD")
        }
    }

    @Test("an operator price overrides the shipped one; deleting it falls back to the shipped price")
    func operatorOverridesAndDeleteFallsBack() async throws {
        try await Self.withFinishedJob("shipped_override") { _, usage in
            try await usage.setPrice(ModelPrice(model: "openai.gpt-5.4", inputPerMillion: 1, outputPerMillion: 2))
            #expect(abs(try #require(try await Self.reportedCost(of: "openai.gpt-5.4", usage)) - 1.20) < 1e-9)
            let listed = try await usage.prices().filter { $0.model == "openai.gpt-5.4" }
            #expect(listed.map(\.source) == [ModelPrice.operatorSource], "the operator's row replaces the shipped one in the list")

            #expect(try await usage.deletePrice(model: "openai.gpt-5.4"))
            #expect(abs(try #require(try await Self.reportedCost(of: "openai.gpt-5.4", usage)) - 4.40) < 1e-9)
            #expect(try await usage.prices().first { $0.model == "openai.gpt-5.4" }?.source != ModelPrice.operatorSource)
            #expect(try await usage.deletePrice(model: "openai.gpt-5.4") == false, "nothing of the operator's is left to delete")
            #expect(try await usage.deletePrice(model: "openai.gpt-5.4", tier: "flex") == false)
        }
    }

    @Test("a flex price may lean on a shipped default; a default is not deleted from under the operator's flex price")
    func flexPricesKeepTheirDefault() async throws {
        try await StoreFixture.with("shipped_flex") { fixture in
            let usage = UsageStore(pool: fixture.pool)
            try await usage.setPrice(ModelPrice(model: "openai.gpt-5.5", inputPerMillion: 2.75, outputPerMillion: 16.5, serviceTier: "flex"))
            await #expect(throws: StoreError.self, "the shipped default is in USD") {
                try await usage.setPrice(ModelPrice(model: "openai.gpt-5.5", inputPerMillion: 1, outputPerMillion: 1, currency: "EUR", serviceTier: "flex"))
            }

            // Without a shipped default to fall back to, the operator's default stays while a flex price leans on it.
            try await usage.setPrice(ModelPrice(model: "m1", inputPerMillion: 1, outputPerMillion: 4))
            try await usage.setPrice(ModelPrice(model: "m1", inputPerMillion: 0.5, outputPerMillion: 2, serviceTier: "flex"))
            await #expect(throws: StoreError.self) { try await usage.deletePrice(model: "m1") }
            #expect(try await usage.deletePrice(model: "m1", tier: "flex"))
            #expect(try await usage.deletePrice(model: "m1"))
            #expect(try await usage.prices().contains { $0.model == "m1" } == false)

            // The shipped default in the flex price's currency is a default to lean on.
            try await usage.setPrice(ModelPrice(model: "openai.gpt-5.5", inputPerMillion: 6, outputPerMillion: 36))
            #expect(try await usage.deletePrice(model: "openai.gpt-5.5"))
            await #expect(throws: StoreError.self) { try await usage.deletePrice(model: "openai.gpt-5.5", tier: "priority") }
        }
    }

    @Test("every shipped price cites its source; models without a citable price stay unpriced")
    func shippedPricesCiteTheirSource() async throws {
        try await StoreFixture.with("shipped_sources") { fixture in
            let prices = try await UsageStore(pool: fixture.pool).prices()
            #expect(prices.count >= 9 && prices.allSatisfy { $0.source != ModelPrice.operatorSource && !$0.source.isEmpty })
            #expect(prices.allSatisfy { $0.currency == "USD" && $0.serviceTier == "default" })
            let priced = Set(prices.map(\.model))
            #expect(priced.isSuperset(of: [
                "openai.gpt-5.4", "openai.gpt-5.5", "anthropic.claude-sonnet-4-6", "global.anthropic.claude-sonnet-4-6",
                "us.anthropic.claude-sonnet-4-6", "anthropic.claude-haiku-4-5", "global.anthropic.claude-haiku-4-5",
                "anthropic.claude-opus-4-7", "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
            ]))
            for unpriced in ["us.anthropic.claude-opus-4-7", "openai.gpt-oss-120b", "openai.gpt-oss-20b"] {
                #expect(!priced.contains(unpriced), "\(unpriced) has no citable price")
            }
        }
    }

    @Test("a budget in money admits a job of a model with a shipped price")
    func budgetsUseShippedPrices() async throws {
        try await StoreFixture.with("shipped_budget") { fixture in
            let project = try await fixture.project("capped")
            _ = try await fixture.enqueue([JobRequest(document: "a short one", model: "openai.gpt-5.4", maxOutputTokens: 1000)], into: project)
            let budgets = BudgetStore(pool: fixture.pool)
            try await budgets.set(projectID: project.id, period: .day, maxTokens: nil, maxCost: 1)
            #expect(try await fixture.queue.claimJobs(worker: "w", limit: 10, lease: .seconds(60)).count == 1)
            // At most a few input tokens at 2.75 and 1,000 output tokens at 16.50 per million.
            let reserved = try #require(try await budgets.budgets(projectID: project.id).first?.reservedCost)
            #expect(reserved >= 0.0165 && reserved < 0.017)
        }
    }
}
