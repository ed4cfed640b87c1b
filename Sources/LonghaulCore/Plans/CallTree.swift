/// The calls one job will make, level by level: one call for a document that fits, or the
/// map-reduce tree of a split job. Worked out by running `MapReduceStep` — the same decision the
/// Coordinator makes at run time — over children that answer at a chosen length, so a plan and
/// a run can never disagree about how a document is cut.
public struct CallTree: Sendable, Equatable {
    /// One level of calls: 1 for the map calls (or the single call), 2 and up for merges.
    public struct Level: Sendable, Equatable {
        public var level: Int
        public var calls: Int
        public var model: String
        /// Input tokens of all its calls together (the calibrated estimate Longhaul plans with).
        public var inputTokens: Int
        /// Output tokens of all its calls together, at the length the tree was worked out with.
        public var outputTokens: Int
        /// The `max_output_tokens` of each call: what Mantle admits against the TPM quota.
        public var maxOutputTokensPerCall: Int
    }

    public var levels: [Level]
    /// Set when merges cannot shrink the summaries at this length (the run would fail the job
    /// with `summaries_do_not_fit`): the plan says so rather than counting calls for ever.
    public var failure: String?

    public var calls: Int { levels.reduce(0) { $0 + $1.calls } }
    public var inputTokens: Int { levels.reduce(0) { $0 + $1.inputTokens } }
    public var outputTokens: Int { levels.reduce(0) { $0 + $1.outputTokens } }
    /// Input plus `max_output_tokens` of every call: the tokens Mantle's quota admits.
    public var admittedTokens: Int { levels.reduce(0) { $0 + $1.inputTokens + $1.calls * $1.maxOutputTokensPerCall } }

    /// The tree of `job`, with every call answering `outputLength(model, call input,
    /// max_output_tokens)` tokens: `max_output_tokens` for the worst case, an observed share of
    /// the input for the expected one.
    /// Input tokens are the estimates as `calibrations` expect the models to count them (cut
    /// with them too, as the Coordinator cuts); a count made with the model's tokenizer is kept.
    public static func of(
        _ job: ValidatedJob, calibrations: [String: EstimateCalibration] = [:],
        outputLength: (_ model: String, _ inputTokens: Int, _ maxOutputTokens: Int) -> Int
    ) -> CallTree {
        func expected(_ model: String, _ estimate: Int) -> Int { (calibrations[model] ?? .uncalibrated).expectedTokens(estimate) }
        guard let settings = job.mapReduce else {
            let input = job.inputCountedExactly ? job.estimatedInputTokens : expected(job.model, job.estimatedInputTokens)
            let output = outputLength(job.model, input, job.maxOutputTokens)
            return CallTree(
                levels: [
                    Level(
                        level: 1, calls: 1, model: job.model, inputTokens: input, outputTokens: output,
                        maxOutputTokensPerCall: job.maxOutputTokens)
                ], failure: nil)
        }
        let parent = MapReduceParent(
            model: job.model, maxOutputTokens: job.maxOutputTokens, instructions: job.instructions, document: job.request.document,
            settings: settings, calibrations: calibrations)
        var children: [MapReduceChild] = []
        var levels: [Level] = []
        while true {
            switch MapReduceStep.next(parent: parent, children: children) {
            case .spawn(let specs):
                guard let first = specs.first else { return CallTree(levels: levels, failure: "the document has no text to split") }
                var level = Level(
                    level: first.placement.level, calls: specs.count, model: first.model, inputTokens: 0, outputTokens: 0,
                    maxOutputTokensPerCall: first.maxOutputTokens)
                for spec in specs {
                    let input = expected(spec.model, spec.estimatedInputTokens)
                    let output = outputLength(spec.model, input, spec.maxOutputTokens)
                    level.inputTokens += input
                    level.outputTokens += output
                    children.append(
                        MapReduceChild(placement: spec.placement, state: .completed, outputText: Self.text(ofTokens: output)))
                }
                levels.append(level)
            case .complete:
                return CallTree(levels: levels, failure: nil)
            case .fail(_, let message, _):
                return CallTree(levels: levels, failure: message)
            case .wait:
                return CallTree(levels: levels, failure: "the plan of this job did not converge")  // every child is completed
            }
        }
    }

    /// Text that `TokenEstimate` counts as `tokens` tokens (four Latin bytes a token), standing
    /// in for a summary of that length.
    static func text(ofTokens tokens: Int) -> String {
        String(repeating: "abcd", count: max(0, tokens))
    }
}
