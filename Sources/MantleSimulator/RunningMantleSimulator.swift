public import Foundation
import ServiceLifecycle

/// A simulator started by ``MantleSimulator/start(configuration:host:port:logger:)``: where it
/// listens, its counters, and how to stop it.
public struct RunningMantleSimulator: Sendable {
    /// The simulator itself.
    public let simulator: MantleSimulator
    /// The port it listens on (the OS-assigned one when started on port 0).
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    init(simulator: MantleSimulator, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.simulator = simulator
        self.port = port
        self.group = group
        self.task = task
    }

    /// `http://host:port` with no path: append `/v1` or `/openai/v1` per model family.
    public var baseURL: URL {
        let host = simulator.host.contains(":") ? "[\(simulator.host)]" : simulator.host
        // Built from a host we bound and a port the OS gave; both always form a valid URL.
        return URL(string: "http://\(host):\(port)") ?? URL(fileURLWithPath: "/")
    }

    /// Counters of requests, creates per job attempt, injected faults and Responses in flight.
    public func counters() -> MantleSimulatorCounters { simulator.counters() }

    /// Replaces the configuration; later requests see the new rates and speed.
    public func updateConfiguration(_ configuration: MantleSimulatorConfiguration) {
        simulator.updateConfiguration(configuration)
    }

    /// Forgets Responses, projects (but `default`) and counters.
    public func reset() { simulator.reset() }

    /// Stops listening, lets answers in progress finish (hung requests are cut off after a
    /// second), and waits for the server to stop.
    public func shutdown() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
