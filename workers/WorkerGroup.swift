import HTTPClient
public import Logging
public import LonghaulCore
import Postgres
public import ServiceLifecycle

/// The loops a worker process runs.
public enum WorkerRole: String, Sendable, CaseIterable {
    /// Submits queued jobs to Mantle (`Submitter`).
    case submit
    /// Polls running Responses to their end (`Poller`).
    case poll
    /// Rescues expired leases and prunes (`Maintainer`).
    case maintain
    /// Sends webhook deliveries (`Deliverer`).
    case deliver
    /// Splits documents longer than a model's window into map jobs and merges their summaries (`Coordinator`).
    case coordinate
}

/// Runs the chosen loops of one worker process as a `Service`: `LISTEN/NOTIFY` wakes them (a
/// hint, deduplicated by `WakeSignal`), a timer wakes them anyway, and graceful shutdown stops
/// claiming, finishes or releases what is in hand, and returns.
public struct WorkerGroup: Service {
    let queue: JobQueue
    let gateway: any ResponsesGateway
    let roles: Set<WorkerRole>
    let configuration: WorkerConfiguration
    let logger: Logger

    public init(
        queue: JobQueue, gateway: any ResponsesGateway, roles: Set<WorkerRole> = Set(WorkerRole.allCases),
        configuration: WorkerConfiguration, logger: Logger
    ) {
        self.queue = queue
        self.gateway = gateway
        self.roles = roles
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let stop = StopFlag()
        let submitWake = WakeSignal(), streamWake = WakeSignal(), pollWake = WakeSignal(), deliverWake = WakeSignal()
        let splitWake = WakeSignal()
        var submitter = Submitter(queue: queue, gateway: gateway, configuration: configuration, logger: logger)
        let checkpoints = (gateway as? any StreamGateway).map { _ in
            StreamCheckpoints(queue: queue, worker: configuration.workerID, interval: configuration.checkpointInterval, logger: logger)
        }
        if let streamGateway = gateway as? any StreamGateway, let checkpoints {
            submitter.streams = HeldStreamRunner(gateway: streamGateway, checkpoints: checkpoints, retry: configuration.retryPolicy, logger: logger)
        }
        let durations = configuration.durationRefreshInterval.map { ExpectedDurations(queue: queue, interval: $0, logger: logger) }
        submitter.durations = durations
        if configuration.maxBackgroundStreams > 0, let streamGateway = gateway as? any BackgroundStreamGateway {
            submitter.backgroundStreams = BackgroundStreams(
                gateway: streamGateway, queue: queue, checkpoints: checkpoints, durations: durations, configuration: configuration,
                logger: logger)
        }
        var poller = Poller(queue: queue, gateway: gateway, configuration: configuration, logger: logger)
        poller.durations = durations
        // Only a Poller in this process can take what the Submitter keeps in hand.
        let firstLooks =
            roles.isSuperset(of: [.submit, .poll])
            ? FirstLooks(capacity: configuration.pollConcurrency, lease: configuration.pollLease) : nil
        submitter.firstLooks = firstLooks
        poller.firstLooks = firstLooks
        let maintainer = Maintainer(queue: queue, configuration: configuration, logger: logger)
        let gauges = QueueGauges(queue: queue, logger: logger)
        // Webhook receivers get a client of their own: their slowness must not hold Mantle's connections.
        let webhookClient = roles.contains(.deliver)
            ? HTTPClient(configuration: .init(maxConnectionsPerHost: configuration.deliverConcurrency, userAgent: "Longhaul-Webhooks/1.0"), logger: logger) : nil
        logger.info("worker started", metadata: ["worker": "\(configuration.workerID)", "roles": "\(roles.map(\.rawValue).sorted())"])

        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { outer in
                outer.addTask {
                    await listen(submitWakes: [submitWake, streamWake], pollWake: pollWake, deliverWake: deliverWake, splitWake: splitWake)
                }
                await withDiscardingTaskGroup { loops in
                    if roles.contains(.submit) {
                        let pollerHere = roles.contains(.poll) ? pollWake : nil
                        loops.addTask { [submitter] in await submitter.loop(pollWake: pollerHere).run(wake: submitWake, stop: stop) }
                        if let checkpoints {
                            loops.addTask { [submitter] in await submitter.loop(held: true, pollWake: pollerHere).run(wake: streamWake, stop: stop) }
                            loops.addTask { await checkpoints.run(stop: stop) }
                        }
                        if let streams = submitter.backgroundStreams { loops.addTask { await streams.run(stop: stop) } }
                    }
                    if roles.contains(.poll) { loops.addTask { [poller] in await poller.loop().run(wake: pollWake, stop: stop) } }
                    if let durations, !roles.isDisjoint(with: [.submit, .poll]) {
                        loops.addTask { await durations.run(stop: stop) }
                    }
                    if roles.contains(.maintain) {
                        loops.addTask { await maintainer.run(stop: stop) }
                        loops.addTask { await gauges.run(stop: stop, interval: configuration.maintenanceInterval) }
                    }
                    if roles.contains(.coordinate) {
                        let coordinator = Coordinator(queue: queue, configuration: configuration, logger: logger)
                        loops.addTask { await coordinator.run(wake: splitWake, stop: stop) }
                    }
                    if let webhookClient {
                        let deliverer = Deliverer(store: DeliveryStore(pool: queue.pool), http: webhookClient, configuration: configuration, logger: logger)
                        loops.addTask { await deliverer.loop().run(wake: deliverWake, stop: stop) }
                    }
                }
                // The loops have stopped; the listener never ends by itself.
                outer.cancelAll()
                if let firstLooks { await giveBack(firstLooks.drain()) }
            }
        } onGracefulShutdown: {
            stop.set()
            submitWake.signal()
            streamWake.signal()
            pollWake.signal()
            deliverWake.signal()
            splitWake.signal()
        }
        await webhookClient?.shutdown()
        logger.info("worker stopped", metadata: ["worker": "\(configuration.workerID)"])
    }

    /// Gives back the leases of the first looks never taken, so that they are polled when due.
    private func giveBack(_ jobIDs: [Int64]) async {
        guard !jobIDs.isEmpty else { return }
        do {
            try await queue.releasePollLeases(jobIDs: jobIDs, worker: configuration.workerID)
        } catch {
            logger.warning(
                "giving back the leases of first looks not taken failed; they are polled when their lease ends",
                metadata: ["jobs": "\(jobIDs.count)", "error": "\(error)"])
        }
    }

    /// Turns notifications into wake-ups, and a reconnect into a wake-up of everything (a
    /// notification may have been missed while the connection was down). Ends when cancelled.
    private func listen(submitWakes: [WakeSignal], pollWake: WakeSignal, deliverWake: WakeSignal, splitWake: WakeSignal) async {
        for await event in queue.pool.listen([QueueChannel.jobs, QueueChannel.polls, QueueChannel.deliveries, QueueChannel.splits]) {
            switch event {
            case .notification(let channel, _):
                switch channel {
                case QueueChannel.polls: pollWake.signal()
                case QueueChannel.deliveries: deliverWake.signal()
                case QueueChannel.splits: splitWake.signal()
                default: for wake in submitWakes { wake.signal() }
                }
            case .reconnected:
                for wake in submitWakes { wake.signal() }
                pollWake.signal()
                deliverWake.signal()
                splitWake.signal()
            }
        }
    }
}
