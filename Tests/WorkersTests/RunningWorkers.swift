import Logging
import LonghaulCore
import ServiceLifecycle
import Workers

/// A worker group running in this process under a service group, as `longhaul work` runs it.
struct RunningWorkers: Sendable {
    let serviceGroup: ServiceGroup
    let task: Task<Void, any Error>

    /// Starts the `roles` of a worker on `queue`, logging warnings and worse under `label`.
    static func start(
        _ label: String, queue: JobQueue, gateway: any ResponsesGateway, roles: Set<WorkerRole> = Set(WorkerRole.allCases),
        configuration: WorkerConfiguration
    ) -> RunningWorkers {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        let group = WorkerGroup(queue: queue, gateway: gateway, roles: roles, configuration: configuration, logger: logger)
        let serviceGroup = ServiceGroup(configuration: .init(services: [group], logger: logger))
        return RunningWorkers(serviceGroup: serviceGroup, task: Task { try await serviceGroup.run() })
    }

    /// Shuts the group down gracefully and waits until it has stopped; nothing when it already has.
    func stop() async {
        await serviceGroup.triggerGracefulShutdown()
        _ = await task.result
    }
}
