public import Logging
public import LonghaulCore

/// Rescues submissions whose worker vanished (lease expiry, never age), moves jobs near their
/// deadline ahead and ends those past it, finishes bulk actions a stopped server left, keeps the usage roll-up current, prunes finished rows,
/// keeps the hot tables' statistics fresh, and (with the prune, about once a minute) each
/// model's calibrated token estimate for the tokens-per-minute budget.
public struct Maintainer: Sendable {
    let queue: JobQueue
    let configuration: WorkerConfiguration
    let logger: Logger

    public init(queue: JobQueue, configuration: WorkerConfiguration, logger: Logger) {
        self.queue = queue
        self.configuration = configuration
        self.logger = logger
    }

    func run(stop: StopFlag) async {
        var sincePrune = Duration.zero
        while !stop.isSet && !Task.isCancelled {
            await runOnce(prune: sincePrune >= configuration.pruneInterval)
            if sincePrune >= configuration.pruneInterval { sincePrune = .zero }
            await stop.sleep(for: configuration.maintenanceInterval)
            sincePrune += configuration.maintenanceInterval
        }
    }

    /// One pass: rescue, deadlines, analyze what grew, (when asked) prune; then bulk actions and the usage roll-up.
    public func runOnce(prune: Bool) async {
        do {
            let rescued = try await queue.rescueExpiredSubmissions()
            if rescued.requeued + rescued.failed > 0 {
                logger.warning(
                    "returned submissions of vanished workers to the queue",
                    metadata: ["requeued": "\(rescued.requeued)", "failed": "\(rescued.failed)"])
            }
            let deadlines = try await queue.enforceDeadlines()
            if deadlines.expired + deadlines.cancelling > 0 {
                logger.info(
                    "ended jobs whose deadline passed",
                    metadata: ["not_yet_submitted": "\(deadlines.expired)", "cancelling_with_mantle": "\(deadlines.cancelling)"])
            }
            let analyzed = try await queue.analyzeGrowingTables()
            if !analyzed.isEmpty {
                logger.debug("analyzed tables that grew", metadata: ["tables": "\(analyzed.joined(separator: ", "))"])
            }
            if prune {
                try await queue.refreshTokenCalibrations()
                let pruned = try await queue.prune(retention: configuration.retention)
                if pruned.prunedJobs + pruned.prunedDeliveries > 0 {
                    logger.info(
                        "pruned finished rows",
                        metadata: [
                            "jobs": "\(pruned.prunedJobs)", "documents": "\(pruned.prunedDocuments)",
                            "deliveries": "\(pruned.prunedDeliveries)",
                        ])
                }
            }
        } catch {
            logger.warning("maintenance pass failed", metadata: ["error": "\(error)"])
        }
        // Apart from the rest, so that neither stops the pass's other work when it fails.
        do {
            let resumed = try await queue.resumeBulkActions()
            if !resumed.isEmpty {
                logger.info("took over the dashboard's bulk actions whose server stopped", metadata: ["actions": "\(resumed.joined(separator: ", "))"])
            }
            let rolled = try await queue.rollUpUsage()
            if rolled.hoursRolledUp + rolled.staleHoursRedone > 0 {
                logger.debug(
                    "rolled up usage",
                    metadata: ["hours": "\(rolled.hoursRolledUp)", "stale_hours": "\(rolled.staleHoursRedone)", "behind": "\(rolled.behind)"])
            }
        } catch {
            logger.warning("usage roll-up or bulk action pass failed", metadata: ["error": "\(error)"])
        }
    }
}
