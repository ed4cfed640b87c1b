import Logging
import LonghaulCore
import Metrics
import Synchronization

/// Samples the queue every few seconds into gauges: `longhaul_jobs{state,project}` (unfinished
/// jobs), `longhaul_queue_lag_seconds{project}`, `longhaul_in_flight{project}` and
/// `longhaul_token_estimate_ratio{model}` (estimate ÷ Mantle's input tokens over the last hour). Gauges are
/// made once per label set (projects are few) and reset to zero when a project's count drops out.
final class QueueGauges: Sendable {
    let queue: JobQueue
    let logger: Logger
    private let gauges = Mutex<[String: Gauge]>([:])

    init(queue: JobQueue, logger: Logger) {
        self.queue = queue
        self.logger = logger
    }

    func run(stop: StopFlag, interval: Duration) async {
        while !stop.isSet && !Task.isCancelled {
            await sample()
            await stop.sleep(for: interval)
        }
    }

    func sample() async {
        let statistics: [QueueStatistic]
        do {
            statistics = try await queue.queueStatistics()
        } catch {
            if !Task.isCancelled { logger.debug("sampling the queue failed", metadata: ["error": "\(error)"]) }
            return
        }
        var values: [String: (label: String, dimensions: [(String, String)], value: Double)] = [:]
        for statistic in statistics {
            values["jobs|\(statistic.state.rawValue)|\(statistic.project)"] = (
                "longhaul_jobs", [("state", statistic.state.rawValue), ("project", statistic.project)], Double(statistic.count)
            )
            if statistic.state == .queued {
                values["lag|\(statistic.project)"] = ("longhaul_queue_lag_seconds", [("project", statistic.project)], statistic.lagSeconds)
            }
            if statistic.state.isInFlight {
                let key = "inflight|\(statistic.project)"
                let previous = values[key]?.value ?? 0
                values[key] = ("longhaul_in_flight", [("project", statistic.project)], previous + Double(statistic.count))
            }
        }
        do {
            for estimate in try await queue.tokenEstimateRatios() {
                values["estimate|\(estimate.model)"] = ("longhaul_token_estimate_ratio", [("model", estimate.model)], estimate.ratio)
            }
        } catch {
            if !Task.isCancelled { logger.debug("sampling the token estimate failed", metadata: ["error": "\(error)"]) }
        }
        gauges.withLock { gauges in
            for (key, gauge) in gauges where values[key] == nil { gauge.record(0) }
            for (key, entry) in values {
                let gauge = gauges[key] ?? Gauge(label: entry.label, dimensions: entry.dimensions)
                gauges[key] = gauge
                gauge.record(entry.value)
            }
        }
    }
}
