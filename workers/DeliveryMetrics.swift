import LonghaulCore
import Metrics

/// The Deliverer's metrics, created once: attempt latency and outcomes (bounded labels).
struct DeliveryMetrics: Sendable {
    private let latency = Timer(label: "longhaul_webhook_attempt_seconds")
    private let outcomes: [String: Counter] = Dictionary(uniqueKeysWithValues: ["delivered", "failed", "gone", "released"].map {
        ($0, Counter(label: "longhaul_webhook_attempts_total", dimensions: [("outcome", $0)]))
    })

    func record(_ outcome: DeliveryAttemptResult.Outcome, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        latency.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        let name = switch outcome {
        case .delivered: "delivered"
        case .failed: "failed"
        case .gone: "gone"
        case .released: "released"
        }
        outcomes[name]?.increment()
    }
}
