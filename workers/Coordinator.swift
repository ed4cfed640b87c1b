public import Logging
public import LonghaulCore

/// Steers split jobs (documents longer than a model's window): cuts a waiting job's document
/// into map jobs, merges their summaries in further jobs when they are done, and ends the job
/// with the last merge — each step one transaction in `JobQueue.advanceSplitJobs`. A child's
/// ending makes its parent due and notifies `longhaul_splits`, which wakes the loop; it also looks
/// every `coordinateIdleInterval`, and at once again after a full round.
public struct Coordinator: Sendable {
    let queue: JobQueue
    let configuration: WorkerConfiguration
    let logger: Logger

    public init(queue: JobQueue, configuration: WorkerConfiguration, logger: Logger) {
        self.queue = queue
        self.configuration = configuration
        self.logger = logger
    }

    static let stepsPerRound = 16

    func run(wake: WakeSignal, stop: StopFlag) async {
        while !stop.isSet && !Task.isCancelled {
            var taken = 0
            do {
                taken = try await queue.advanceSplitJobs(limit: Self.stepsPerRound)
            } catch where !Task.isCancelled {
                logger.warning("advancing split jobs failed", metadata: ["error": "\(error)"])
            } catch {}
            if taken < Self.stepsPerRound {
                await wake.wait(timeout: configuration.coordinateIdleInterval)
            }
        }
    }
}
