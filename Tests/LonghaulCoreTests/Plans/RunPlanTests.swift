import Testing

import LonghaulCore
import Mantle

/// A plan: the calls, tokens, cost and time of a run, decided before any call.
@Suite struct RunPlanTests {
    static let price = ModelPrice(model: "openai.gpt-oss-120b", inputPerMillion: 0.15, outputPerMillion: 0.60)
    static let short = job("The tide rose at dawn and the boats went out.", maxOutputTokens: 500)
    /// Sixty sections that need a map-reduce in a window scaled to 2 %.
    static let long = job(
        (1...60).map { "## Part \($0)\n\n" + String(repeating: "The tide rose at dawn and the boats went out. ", count: 30) }
            .joined(separator: "\n\n"), maxOutputTokens: 300, scale: 0.02)

    static func job(_ document: String, maxOutputTokens: Int, scale: Double = 1) -> ValidatedJob {
        var limits = JobLimits()
        limits.contextWindowScale = scale
        do {
            return try JobRequest(document: document, maxOutputTokens: maxOutputTokens)
                .validated(defaultModel: "openai.gpt-oss-120b", limits: limits, checkModel: { _ in nil })
        } catch {
            fatalError("the fixture must validate: \(error)")
        }
    }

    @Test func aDocumentThatFitsIsOneCallWhoseWorstCaseIsItsMaxOutput() {
        let document = RunPlan.Document(name: "a.txt", job: Self.short, alreadyDone: false, facts: PlanFacts())
        #expect(document.calls == 1 && document.levels == 1)
        #expect(document.inputTokens == Self.short.estimatedInputTokens)
        #expect(document.worstOutputTokens == 500)
        #expect(document.admittedTokens == Self.short.estimatedInputTokens + 500)
        #expect(document.expectedOutputTokens == nil && document.worstCost == nil)
    }

    @Test func aLongDocumentIsPlannedAsTheTreeTheCoordinatorWouldSpawn() throws {
        let document = RunPlan.Document(name: "book.md", job: Self.long, alreadyDone: false, facts: PlanFacts())
        guard case .spawn(let maps) = MapReduceStep.next(
            parent: MapReduceParent(
                model: Self.long.model, maxOutputTokens: 300, instructions: Self.long.instructions, document: Self.long.request.document,
                settings: try #require(Self.long.mapReduce)), children: [])
        else {
            Issue.record("the fixture must split")
            return
        }
        #expect(document.levels >= 2)
        #expect(document.calls > maps.count)  // the map calls and at least one merge
        #expect(document.worstOutputTokens == document.calls * 300)
        #expect(document.warning == nil)
    }

    @Test func pricesAndObservedRatiosGiveACostRange() throws {
        let facts = PlanFacts(prices: [Self.price.model: Self.price], outputRatios: [Self.price.model: 0.5])
        let document = RunPlan.Document(name: "a.txt", job: Self.short, alreadyDone: false, facts: facts)
        let input = Double(Self.short.estimatedInputTokens)
        let expectedOutput = (input * 0.5).rounded(.up)
        #expect(document.expectedOutputTokens == Int(expectedOutput))
        #expect(abs(try #require(document.worstCost) - (input * 0.15 + 500 * 0.60) / 1_000_000) < 1e-12)
        #expect(abs(try #require(document.expectedCost) - (input * 0.15 + expectedOutput * 0.60) / 1_000_000) < 1e-12)
    }

    @Test func aFlexJobIsPlannedAtTheFlexPriceWhereTheModelHasOne() throws {
        var facts = PlanFacts(prices: [Self.price.model: Self.price])
        facts.flexPrices[Self.price.model] = ModelPrice(
            model: Self.price.model, inputPerMillion: 0.075, outputPerMillion: 0.30, serviceTier: "flex")
        var flex = Self.short
        flex.request.serviceTier = .flex
        let input = Double(Self.short.estimatedInputTokens)
        let onFlex = RunPlan.Document(name: "a.txt", job: flex, alreadyDone: false, facts: facts)
        #expect(abs(try #require(onFlex.worstCost) - (input * 0.075 + 500 * 0.30) / 1_000_000) < 1e-12)
        let onDefault = RunPlan.Document(name: "a.txt", job: Self.short, alreadyDone: false, facts: facts)
        #expect(abs(try #require(onDefault.worstCost) - (input * 0.15 + 500 * 0.60) / 1_000_000) < 1e-12)
    }

    @Test func totalsLeaveOutWhatAnEarlierRunCompleted() {
        let facts = PlanFacts(prices: [Self.price.model: Self.price])
        let plan = RunPlan(
            documents: [
                RunPlan.Document(name: "a.txt", job: Self.short, alreadyDone: false, facts: facts),
                RunPlan.Document(name: "b.txt", job: Self.short, alreadyDone: true, facts: facts),
            ], facts: facts)
        #expect(plan.toRun == 1 && plan.alreadyDone == 1)
        #expect(plan.calls == 1 && plan.worstOutputTokens == 500)
        #expect(plan.currency == "USD" && plan.unpricedModels.isEmpty)
        #expect(plan.expectedCost == nil)  // no completed job to learn the answers' length from
    }

    @Test func anUnpricedModelLeavesTheCostUnknownAndSaysWhich() {
        let plan = RunPlan(documents: [RunPlan.Document(name: "a.txt", job: Self.short, alreadyDone: false, facts: PlanFacts())], facts: PlanFacts())
        #expect(plan.worstCost == nil && plan.currency == nil)
        #expect(plan.unpricedModels == ["openai.gpt-oss-120b"])
    }

    @Test func timeIsBoundedByTheTokenBudgetOrTheObservedCallsWhicheverIsLonger() throws {
        let tokenBound = PlanFacts(callSeconds: [Self.price.model: 1], tokensPerMinute: 1_000, maxInFlight: 10)
        let documents = (0..<20).map { RunPlan.Document(name: "\($0).txt", job: Self.short, alreadyDone: false, facts: tokenBound) }
        let plan = RunPlan(documents: documents, facts: tokenBound)
        let admitted = Double(20 * (Self.short.estimatedInputTokens + 500))
        #expect(abs(try #require(plan.minimumSeconds) - admitted / 1_000 * 60) < 1e-9)
        #expect(plan.timeBasis.contains("tokens per minute"))

        let callBound = PlanFacts(callSeconds: [Self.price.model: 120], maxInFlight: 10)
        let slow = RunPlan(documents: documents.map { _ in RunPlan.Document(name: "x", job: Self.short, alreadyDone: false, facts: callBound) }, facts: callBound)
        #expect(abs(try #require(slow.minimumSeconds) - 20 * 120 / 10) < 1e-9)
        #expect(slow.timeBasis.contains("max_in_flight"))

        let unknown = RunPlan(
            documents: documents.map { _ in RunPlan.Document(name: "x", job: Self.short, alreadyDone: false, facts: PlanFacts()) },
            facts: PlanFacts())
        #expect(unknown.minimumSeconds == nil && unknown.timeBasis.hasPrefix("unknown"))
    }
}
