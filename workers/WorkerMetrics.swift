import Metrics

/// A loop's metrics, created once: Mantle call latency and outcomes by class (bounded labels).
struct WorkerMetrics: Sendable {
    private let latency: Timer
    private let outcomes: [String: Counter]

    static let outcomeClasses = ["accepted", "ok", "retryable", "permanent", "not_found", "needs_attention"]

    init(loop: String) {
        latency = Timer(label: "longhaul_mantle_call_seconds", dimensions: [("loop", loop)])
        outcomes = Dictionary(uniqueKeysWithValues: Self.outcomeClasses.map {
            ($0, Counter(label: "longhaul_mantle_calls_total", dimensions: [("loop", loop), ("outcome", $0)]))
        })
    }

    func recordCall(since start: ContinuousClock.Instant, outcome: String) {
        let elapsed = ContinuousClock.now - start
        latency.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        outcomes[outcome]?.increment()
    }
}
