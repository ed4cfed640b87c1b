import Foundation
import LonghaulCore
import TestSupport
import Testing

@Suite("Usage reports and prices")
struct UsageStoreTests {
    /// Runs `body` on a fresh database of jobs finished on three days in March (and one in February,
    /// one unfinished), over three models of which two have prices, in two projects; team-a is
    /// tagged customer=internal.
    private func seeded(_ name: String, _ body: (UsageStore, Project, Project) async throws -> Void) async throws {
        try await StoreFixture.with(name) { fixture in
            let usage = UsageStore(pool: fixture.pool)
            let teamA = try await fixture.projects.create(NewProject(slug: "team-a", tags: ["customer": "internal"]))
            let teamB = try await fixture.project("team-b")
            let a = try await fixture.enqueue([
                JobRequest(document: "1", model: "m1", metadata: ["customer": "acme"]),
                JobRequest(document: "2", model: "m1"),
                JobRequest(document: "3", model: "m2", metadata: ["customer": "acme"]),
                JobRequest(document: "6", model: "m1"),
                JobRequest(document: "7", model: "m1"),
            ], into: teamA)
            let b = try await fixture.enqueue([JobRequest(document: "4", model: "m1"), JobRequest(document: "5", model: "m3")], into: teamB)
            try await fixture.finish(a[0].id, .completed, at: try instant("2026-03-01T10:00:00Z"),
                                     usage: Usage(inputTokens: 1000, cachedTokens: 400, outputTokens: 500, reasoningTokens: 200))
            try await fixture.finish(a[1].id, .failed, at: try instant("2026-03-02T23:30:00Z"), usage: Usage(inputTokens: 2000, outputTokens: 1000))
            try await fixture.finish(a[2].id, .incomplete, at: try instant("2026-03-02T01:00:00Z"), usage: Usage(inputTokens: 100, outputTokens: 10))
            try await fixture.finish(b[0].id, .cancelled, at: try instant("2026-03-01T12:00:00Z"), usage: nil)
            try await fixture.finish(b[1].id, .completed, at: try instant("2026-03-03T08:00:00Z"),
                                     usage: Usage(inputTokens: 1000, cachedTokens: 500, outputTokens: 100, reasoningTokens: 50))
            try await fixture.finish(a[4].id, .completed, at: try instant("2026-02-01T08:00:00Z"), usage: Usage(inputTokens: 9, outputTokens: 9))
            try await usage.setPrice(ModelPrice(model: "m1", inputPerMillion: 1, cachedInputPerMillion: 0.5, outputPerMillion: 4))
            try await usage.setPrice(ModelPrice(model: "m3", inputPerMillion: 2, outputPerMillion: 8, currency: "EUR"))
            try await body(usage, teamA, teamB)
        }
    }

    private let march = (from: try! instant("2026-03-01T00:00:00Z"), to: try! instant("2026-04-01T00:00:00Z"))

    @Test("by model: counts by end state, tokens, and cost from the prices without charging reasoning twice")
    func byModel() async throws {
        try await seeded("usage_model") { usage, _, _ in
            let rows = try await usage.report(projectID: nil, from: march.from, to: march.to, groupBy: .model)
            #expect(rows.map(\.group) == ["m1", "m2", "m3"])
            let m1 = rows[0]
            #expect(m1.jobs == 3 && m1.completed == 1 && m1.failed == 1 && m1.cancelled == 1 && m1.incomplete == 0)
            #expect(m1.inputTokens == 3000 && m1.cachedTokens == 400 && m1.outputTokens == 1500 && m1.reasoningTokens == 200)
            // (600 uncached × 1 + 400 cached × 0.5 + 500 × 4) + (2000 × 1 + 1000 × 4), per million.
            #expect(abs(try #require(m1.cost) - 0.0088) < 1e-12 && m1.currency == "USD")
            #expect(rows[1].cost == nil && rows[1].currency == nil && rows[1].incomplete == 1)
            // No cached price: cached input at the input price. (500 × 2 + 500 × 2 + 100 × 8) per million.
            #expect(abs(try #require(rows[2].cost) - 0.0028) < 1e-12 && rows[2].currency == "EUR")
        }
    }

    @Test("by UTC day; a day with an unpriced model's tokens has no cost")
    func byDay() async throws {
        try await seeded("usage_day") { usage, _, _ in
            let rows = try await usage.report(projectID: nil, from: march.from, to: march.to, groupBy: .day)
            #expect(rows.map(\.group) == ["2026-03-01", "2026-03-02", "2026-03-03"])
            #expect(rows.map(\.jobs) == [2, 2, 1])
            #expect(abs(try #require(rows[0].cost) - 0.0028) < 1e-12)
            #expect(rows[1].cost == nil)
            #expect(rows[2].currency == "EUR")
            let all = try await usage.report(projectID: nil, from: nil, to: nil, groupBy: .day)
            #expect(all.first?.group == "2026-02-01" && all.map(\.jobs).reduce(0, +) == 6)
        }
    }

    @Test("by tag: the job's metadata, else its project's tags, else (none)")
    func byTag() async throws {
        try await seeded("usage_tag") { usage, _, _ in
            let rows = try await usage.report(projectID: nil, from: march.from, to: march.to, groupBy: .tag("customer"))
            #expect(rows.map(\.group) == ["(none)", "acme", "internal"])
            #expect(rows.map(\.jobs) == [2, 2, 1])
            #expect(rows[1].inputTokens == 1100)
        }
    }

    @Test("a project and a half-open period narrow the report")
    func scoped() async throws {
        try await seeded("usage_scope") { usage, _, teamB in
            let rows = try await usage.report(projectID: teamB.id, from: nil, to: nil, groupBy: .model)
            #expect(rows.map(\.group) == ["m1", "m3"] && rows.map(\.jobs) == [1, 1])
            let firstDay = try await usage.report(projectID: nil, from: march.from, to: try instant("2026-03-02T00:00:00Z"), groupBy: .model)
            #expect(firstDay.map(\.group) == ["m1"] && firstDay[0].jobs == 2)
            // The end is exclusive: a job finished exactly at `to` is left out.
            let edge = try await usage.report(projectID: nil, from: nil, to: try instant("2026-03-01T10:00:00Z"), groupBy: .model)
            #expect(edge.map(\.jobs) == [1])
            await #expect(throws: StoreError.self) {
                try await usage.report(projectID: nil, from: march.to, to: march.from, groupBy: .model)
            }
        }
    }

    @Test("prices are set, replaced and listed; nonsense is refused")
    func prices() async throws {
        try await StoreFixture.with("usage_prices") { fixture in
            let usage = UsageStore(pool: fixture.pool)
            try await usage.setPrice(ModelPrice(model: "m1", inputPerMillion: 0.15, cachedInputPerMillion: 0.075, outputPerMillion: 0.6))
            try await usage.setPrice(ModelPrice(model: "m0", inputPerMillion: 1, outputPerMillion: 2))
            try await usage.setPrice(ModelPrice(model: "m1", inputPerMillion: 0.2, outputPerMillion: 0.8, currency: "EUR"))
            #expect(try await usage.prices().filter { $0.source == ModelPrice.operatorSource } == [
                ModelPrice(model: "m0", inputPerMillion: 1, outputPerMillion: 2),
                ModelPrice(model: "m1", inputPerMillion: 0.2, outputPerMillion: 0.8, currency: "EUR"),
            ])
            for bad in [
                ModelPrice(model: "", inputPerMillion: 1, outputPerMillion: 1), ModelPrice(model: "m", inputPerMillion: -1, outputPerMillion: 1),
                ModelPrice(model: "m", inputPerMillion: 1, outputPerMillion: .nan), ModelPrice(model: "m", inputPerMillion: 1, outputPerMillion: 1, currency: "usd"),
            ] {
                await #expect(throws: StoreError.self) { try await usage.setPrice(bad) }
            }
        }
    }

    @Test("a call Mantle served on flex costs the model's flex price, or its default price when it has none")
    func flexPrices() async throws {
        try await StoreFixture.with("usage_flex") { fixture in
            let usage = UsageStore(pool: fixture.pool)
            let project = try await fixture.project("team")
            await #expect(throws: StoreError.self) {
                try await usage.setPrice(ModelPrice(model: "m1", inputPerMillion: 0.5, outputPerMillion: 2, serviceTier: "flex"))
            }
            try await usage.setPrice(ModelPrice(model: "m1", inputPerMillion: 1, outputPerMillion: 4))
            try await usage.setPrice(ModelPrice(model: "m1", inputPerMillion: 0.5, outputPerMillion: 2, serviceTier: "flex"))
            try await usage.setPrice(ModelPrice(model: "m3", inputPerMillion: 2, outputPerMillion: 8))
            for bad in [ModelPrice(model: "m3", inputPerMillion: 1, outputPerMillion: 4, currency: "EUR", serviceTier: "flex"),
                        ModelPrice(model: "m3", inputPerMillion: 1, outputPerMillion: 4, serviceTier: "priority")] {
                await #expect(throws: StoreError.self) { try await usage.setPrice(bad) }
            }
            #expect(try await usage.prices().filter { $0.model.hasPrefix("m") }.map { "\($0.model) \($0.serviceTier)" }
                    == ["m1 default", "m1 flex", "m3 default"])

            let jobs = try await fixture.enqueue(
                [JobRequest(document: "1", model: "m1"), JobRequest(document: "2", model: "m1"), JobRequest(document: "3", model: "m3")],
                into: project)
            let each = Usage(inputTokens: 1000, outputTokens: 100)
            try await fixture.finish(jobs[0].id, .completed, usage: each, servedTier: "flex")
            try await fixture.finish(jobs[1].id, .completed, usage: each, servedTier: "default")
            try await fixture.finish(jobs[2].id, .completed, usage: each, servedTier: "flex")
            let rows = try await usage.report(projectID: nil, from: nil, to: nil, groupBy: .model)
            // m1: (1000 × 0.5 + 100 × 2) on flex + (1000 × 1 + 100 × 4) on default; m3 has no flex price.
            #expect(abs(try #require(rows[0].cost) - 0.0021) < 1e-12)
            #expect(abs(try #require(rows[1].cost) - 0.0028) < 1e-12)
        }
    }

    @Test("group_by parses model, day and tag:KEY; anything else names the accepted forms",
          arguments: [("model", UsageGrouping.model), ("day", .day), ("tag:customer", .tag("customer"))])
    func parsing(text: String, grouping: UsageGrouping) throws {
        #expect(try UsageGrouping(parsing: text) == grouping)
        #expect(grouping.name == text)
    }

    @Test("bad groupings are refused", arguments: ["", "models", "tag:", "Day", "tag"])
    func badGrouping(text: String) {
        #expect {
            try UsageGrouping(parsing: text)
        } throws: { error in
            guard let error = error as? ValidationError else { return false }
            return error.field == "group_by" && error.code == "invalid" && error.message.contains("tag:KEY")
        }
    }
}
