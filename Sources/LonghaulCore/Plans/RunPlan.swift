/// What a run will do, decided before any call: per document and in total, the calls, tokens,
/// cost and time. Made by `RunPlan.init(documents:facts:)`, which only computes.
public struct RunPlan: Sendable, Equatable, Codable {
    public struct Document: Sendable, Equatable, Codable {
        public var name: String
        public var model: String
        /// Found completed by an earlier run with the same content and parameters: skipped.
        public var alreadyDone: Bool
        /// Calls in the worst case (every summary as long as `max_output_tokens` allows).
        public var calls: Int
        /// 1 for one call; 2 or more for a split job (map level, then merges).
        public var levels: Int
        public var inputTokens: Int
        /// `o200k_base` when counted with the model's tokenizer, `estimate` otherwise.
        public var inputCount: String
        public var worstOutputTokens: Int
        /// From the project's observed output ÷ input for the model; nil before any completed job.
        public var expectedOutputTokens: Int?
        public var worstCost: Double?
        public var expectedCost: Double?
        /// Why the run could fail this document whatever happens (merges that cannot shrink).
        public var warning: String?
        /// Input plus `max_output_tokens` of every call: what Mantle's quota admits.
        public var admittedTokens: Int
        /// The calls' observed durations added up; nil when a model has none yet.
        public var callSeconds: Double?
        /// Models of its calls that have no price.
        public var unpricedModels: [String]

        /// Plans one document: its worst-case tree, and its expected tree where the project has
        /// observed how long this model's answers run.
        public init(name: String, job: ValidatedJob, alreadyDone: Bool, facts: PlanFacts) {
            let worst = CallTree.of(job, calibrations: facts.calibrations) { _, _, maxOutput in maxOutput }
            let expected = RunPlan.expectedTree(job, worst: worst, facts: facts)
            self.name = name
            model = job.model
            self.alreadyDone = alreadyDone
            calls = worst.calls
            levels = worst.levels.count
            inputTokens = worst.inputTokens
            inputCount = job.inputCountedExactly ? "o200k_base" : "estimate"
            worstOutputTokens = worst.outputTokens
            expectedOutputTokens = expected?.outputTokens
            let prices = facts.prices(for: job.request.serviceTier)
            worstCost = RunPlan.cost(of: worst, prices: prices)
            expectedCost = expected.flatMap { RunPlan.cost(of: $0, prices: prices) }
            warning = worst.failure
            admittedTokens = worst.admittedTokens
            var seconds: Double? = 0
            for level in worst.levels {
                if let each = facts.callSeconds[level.model] { seconds? += each * Double(level.calls) } else { seconds = nil }
            }
            callSeconds = seconds
            unpricedModels = Array(Set(worst.levels.map(\.model).filter { facts.prices[$0] == nil })).sorted()
        }
    }

    public var documents: [Document]
    /// Totals over the documents that will run (not the ones already done).
    public var toRun: Int
    public var alreadyDone: Int
    public var calls: Int
    public var inputTokens: Int
    public var worstOutputTokens: Int
    /// Nil when a model has no observed ratio yet.
    public var expectedOutputTokens: Int?
    public var worstCost: Double?
    public var expectedCost: Double?
    /// Nil when a model has no price, or prices mix currencies.
    public var currency: String?
    /// Models without a price (their cost is unknown; `longhaul usage prices set` gives one).
    public var unpricedModels: [String]
    /// The least time the run takes, in seconds, and what bounds it; nil when nothing bounds it.
    public var minimumSeconds: Double?
    public var timeBasis: String

    /// The totals of `documents`, each planned by `RunPlan.Document(name:job:alreadyDone:facts:)`
    /// (one at a time, so a folder's texts need not all be held at once).
    public init(documents: [Document], facts: PlanFacts) {
        let running = documents.filter { !$0.alreadyDone }
        self.documents = documents
        toRun = running.count
        alreadyDone = documents.count - running.count
        calls = running.reduce(0) { $0 + $1.calls }
        inputTokens = running.reduce(0) { $0 + $1.inputTokens }
        worstOutputTokens = running.reduce(0) { $0 + $1.worstOutputTokens }
        expectedOutputTokens = Self.sum(running.map(\.expectedOutputTokens))
        let unpriced = Set(running.flatMap(\.unpricedModels))
        let currencies = Set(facts.prices.values.map(\.currency))
        currency = unpriced.isEmpty && currencies.count == 1 ? currencies.first : nil
        worstCost = currency == nil ? nil : Self.sum(running.map(\.worstCost))
        expectedCost = currency == nil ? nil : Self.sum(running.map(\.expectedCost))
        unpricedModels = unpriced.sorted()
        (minimumSeconds, timeBasis) = Self.time(
            admittedTokens: running.reduce(0) { $0 + $1.admittedTokens },
            callSeconds: Self.sum(running.map(\.callSeconds)), facts: facts)
    }

    /// The tree at the project's observed length of answers, when every model in it has one.
    static func expectedTree(_ job: ValidatedJob, worst: CallTree, facts: PlanFacts) -> CallTree? {
        let ratios = facts.outputRatios
        guard worst.levels.allSatisfy({ ratios[$0.model] != nil }) else { return nil }
        // Each call answers at its model's observed share of its input, never past its limit.
        return CallTree.of(job, calibrations: facts.calibrations) { model, input, maxOutput in
            min(maxOutput, Int((Double(input) * (ratios[model] ?? 0)).rounded(.up)))
        }
    }

    /// The cost of a tree at its models' prices (input charged uncached); nil when one is unpriced.
    static func cost(of tree: CallTree, prices: [String: ModelPrice]) -> Double? {
        var total = 0.0
        for level in tree.levels {
            guard let price = prices[level.model] else { return nil }
            total += (Double(level.inputTokens) * price.inputPerMillion + Double(level.outputTokens) * price.outputPerMillion) / 1_000_000
        }
        return total
    }

    /// The least time: Mantle admits input plus `max_output_tokens` against the project's
    /// tokens-per-minute budget, and `max_in_flight` calls run at once at their observed length.
    private static func time(admittedTokens: Int, callSeconds: Double?, facts: PlanFacts) -> (Double?, String) {
        var bounds: [(seconds: Double, basis: String)] = []
        if let tpm = facts.tokensPerMinute, tpm > 0 {
            bounds.append(
                (Double(admittedTokens) / Double(tpm) * 60, "\(admittedTokens) admitted tokens at the project's \(tpm) tokens per minute"))
        }
        if let callSeconds, facts.maxInFlight > 0 {
            bounds.append(
                (callSeconds / Double(facts.maxInFlight),
                 "the calls' observed durations, \(facts.maxInFlight) at a time (max_in_flight)"))
        }
        guard let bound = bounds.max(by: { $0.seconds < $1.seconds }) else {
            return (nil, "unknown: no tokens-per-minute budget is set and no job of these models has completed in this project yet")
        }
        return (bound.seconds, bound.basis)
    }

    private static func sum<T: AdditiveArithmetic>(_ values: [T?]) -> T? {
        values.reduce(T.zero as T?) { total, value in total.flatMap { total in value.map { total + $0 } } }
    }
}
