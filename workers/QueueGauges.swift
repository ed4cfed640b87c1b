import Logging
import LonghaulCore
import Metrics
import Synchronization

/// Samples the queue every few seconds into gauges: `longhaul_jobs{state,project}` (unfinished
/// jobs), `longhaul_queue_lag_seconds{project}`, `longhaul_in_flight{project}` and
/// `longhaul_token_estimate_ratio{model}` (estimate ÷ Mantle's input tokens over the last hour), and
/// for each spending cap `longhaul_budget_{limit,spent,reserved}{project,period,unit}` (unit
/// `tokens` or `cost`, in the prices' currency) and `longhaul_budget_blocked{project,period}`. Gauges are
/// made once per label set (projects are few) and reset to zero when a project's count drops out.
final class QueueGauges: Sendable {
    let queue: JobQueue
    let logger: Logger
    /// Where the gauges go: the process's metrics system, or a test's own registry.
    let factory: any MetricsFactory
    private let gauges = Mutex<[String: Gauge]>([:])

    init(queue: JobQueue, logger: Logger, factory: any MetricsFactory = MetricsSystem.factory) {
        self.queue = queue
        self.logger = logger
        self.factory = factory
    }

    /// Samples every `interval`, or less often when a sample is slow: it counts every unfinished
    /// job (25 ms a sample with a few hundred thousand queued, in `bench/api.sh`), on every worker,
    /// so with a deep backlog the samples are paced by their own cost (``ReadPacing``: at most a
    /// twentieth of each worker's time) rather than growing with the queue.
    func run(stop: StopFlag, interval: Duration) async {
        var pacing = ReadPacing()
        while !stop.isSet && !Task.isCancelled {
            let start = ContinuousClock.now
            if pacing.isDue(at: start) {
                await sample()
                pacing.readTook(ContinuousClock.now - start, startedAt: start)
            }
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
        do {
            for (project, budget) in try await BudgetStore(pool: queue.pool).allBudgets() {
                let period = budget.period.rawValue
                let caps: [(unit: String, limit: Double?, spent: Double, reserved: Double)] = [
                    ("tokens", budget.maxTokens.map(Double.init), Double(budget.spentTokens), Double(budget.reservedTokens)),
                    ("cost", budget.maxCost, budget.spentCost, budget.reservedCost),
                ]
                for cap in caps where cap.limit != nil {
                    let dimensions = [("project", project), ("period", period), ("unit", cap.unit)]
                    let key = "budget|\(project)|\(period)|\(cap.unit)"
                    values["\(key)|limit"] = ("longhaul_budget_limit", dimensions, cap.limit ?? 0)
                    values["\(key)|spent"] = ("longhaul_budget_spent", dimensions, cap.spent)
                    values["\(key)|reserved"] = ("longhaul_budget_reserved", dimensions, cap.reserved)
                }
                values["budget|\(project)|\(period)|blocked"] = (
                    "longhaul_budget_blocked", [("project", project), ("period", period)], budget.blocksNextJob ? 1 : 0
                )
            }
        } catch {
            if !Task.isCancelled { logger.debug("sampling the budgets failed", metadata: ["error": "\(error)"]) }
        }
        gauges.withLock { gauges in
            for (key, gauge) in gauges where values[key] == nil { gauge.record(0) }
            for (key, entry) in values {
                let gauge = gauges[key] ?? Gauge(label: entry.label, dimensions: entry.dimensions, factory: factory)
                gauges[key] = gauge
                gauge.record(entry.value)
            }
        }
    }
}
