import Logging
import LonghaulCore
import Synchronization

/// What this worker has learned of how long each project's model takes (`ResponseDurationModel`),
/// refreshed from the queue every `interval` — one read of at most 2,000 rows, not one per poll —
/// and consulted by the Submitter (the first look) and the Poller (every later one).
final class ExpectedDurations: Sendable {
    private let models = Mutex<[ResponseDurationKey: ResponseDurationModel]>([:])
    private let queue: JobQueue
    private let interval: Duration
    private let logger: Logger

    init(queue: JobQueue, interval: Duration, logger: Logger) {
        self.queue = queue
        self.interval = interval
        self.logger = logger
    }

    /// When a job of this project and model, with this input estimate and output cap, is
    /// expected to end; nil while too few of its peers have completed.
    func expected(projectID: Int64, model: String, estimatedInputTokens: Int, maxOutputTokens: Int) -> ExpectedEnd? {
        let learned = models.withLock { $0[ResponseDurationKey(projectID: projectID, model: model)] }
        return learned?.expectedEnd(estimatedInputTokens: estimatedInputTokens, maxOutputTokens: maxOutputTokens)
    }

    func expected(for poll: ClaimedPoll) -> ExpectedEnd? {
        expected(
            projectID: poll.projectID, model: poll.model, estimatedInputTokens: poll.estimatedInputTokens,
            maxOutputTokens: poll.maxOutputTokens)
    }

    func expected(for job: ClaimedJob) -> ExpectedEnd? {
        expected(
            projectID: job.projectID, model: job.model, estimatedInputTokens: job.estimatedInputTokens, maxOutputTokens: job.maxOutputTokens
        )
    }

    /// Learns afresh from the newest completed Responses; on failure keeps what it knew.
    func refresh() async {
        do {
            let learned = ResponseDurationModel.fitAll(try await queue.recentResponseDurations())
            models.withLock { $0 = learned }
        } catch  where !Task.isCancelled {
            logger.warning("reading recent Response durations failed; polls keep the last schedule", metadata: ["error": "\(error)"])
        } catch {}
    }

    /// Refreshes until `stop` is set.
    func run(stop: StopFlag) async {
        while !stop.isSet && !Task.isCancelled {
            await refresh()
            await stop.sleep(for: interval)
        }
    }
}
