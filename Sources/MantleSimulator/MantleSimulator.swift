public import Logging
import NIOCore
public import ServiceLifecycle

/// A local stand-in for Amazon Bedrock's Mantle endpoint (OpenAI Responses API, background mode).
///
/// It speaks only Mantle's wire format: paths per model family, `resp_…` ids, status codes and
/// error envelopes, real extractive summaries with plausible token counts, time that can be
/// compressed, and faults injected at configured rates. Run it as a `Service` in a
/// `ServiceGroup`, or with ``start(configuration:host:port:logger:)`` for in-process use.
public struct MantleSimulator: Service {
    /// The configuration it started with (change it later through ``updateConfiguration(_:)``).
    public let initialConfiguration: MantleSimulatorConfiguration
    /// Interface to listen on.
    public let host: String
    /// Port to listen on; 0 lets the OS choose (read the result with ``boundPort()``).
    public let port: Int
    let logger: Logger
    let engine: SimulatorEngine
    private let portBox: PortBox

    /// Creates a simulator; nothing listens until ``run()``.
    public init(
        configuration: MantleSimulatorConfiguration = .init(),
        host: String = "127.0.0.1",
        port: Int = 0,
        logger: Logger = Logger(label: "mantle-simulator")
    ) {
        initialConfiguration = configuration
        self.host = host
        self.port = port
        self.logger = logger
        engine = SimulatorEngine(configuration: configuration)
        portBox = PortBox()
    }

    /// Serves until graceful shutdown (or cancellation) of the surrounding task.
    public func run() async throws {
        let portBox = self.portBox
        let app = buildSimulatorApplication(engine: engine, host: host, port: port, logger: logger) { channel in
            portBox.resolve(channel.localAddress?.port ?? 0)
        }
        do {
            try await app.run()
            portBox.resolve(0)
        } catch {
            portBox.resolve(0)
            throw error
        }
    }

    /// The port actually bound, once the server listens (0 if it stopped before listening).
    public func boundPort() async -> Int {
        await portBox.value()
    }

    /// Counters of requests, creates per job attempt, injected faults and Responses in flight.
    public func counters() -> MantleSimulatorCounters { engine.counters() }

    /// Replaces the configuration at run time; new rates and speed apply to later requests.
    public func updateConfiguration(_ configuration: MantleSimulatorConfiguration) {
        engine.replaceConfiguration(configuration)
    }

    /// The configuration in force.
    public var configuration: MantleSimulatorConfiguration { engine.configuration }

    /// Forgets Responses, projects (but `default`) and counters.
    public func reset() { engine.reset() }

    /// Starts a simulator in a task of its own and returns once it listens.
    ///
    /// - Throws: ``MantleSimulatorStartError`` when it could not bind (port taken, bad host), or
    ///   the configuration is not usable.
    public static func start(
        configuration: MantleSimulatorConfiguration = .init(),
        host: String = "127.0.0.1",
        port: Int = 0,
        logger: Logger = Logger(label: "mantle-simulator")
    ) async throws -> RunningMantleSimulator {
        if let problem = configuration.validationProblem() {
            throw MantleSimulatorStartError(message: "The simulator configuration is not usable: \(problem).")
        }
        let simulator = MantleSimulator(configuration: configuration, host: host, port: port, logger: logger)
        var groupConfiguration = ServiceGroupConfiguration(services: [simulator], logger: logger)
        // Hung requests would hold a graceful shutdown for hangSeconds; cut them off after a second.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(1)
        let group = ServiceGroup(configuration: groupConfiguration)
        let task = Task { try await group.run() }
        let bound = await simulator.boundPort()
        guard bound > 0 else {
            let reason: String
            switch await task.result {
            case .failure(let error): reason = String(describing: error)
            case .success: reason = "the server stopped before it listened"
            }
            throw MantleSimulatorStartError(
                message: "The simulator could not listen on \(host):\(port) (\(reason)); choose a free port or port 0."
            )
        }
        return RunningMantleSimulator(simulator: simulator, port: bound, group: group, task: task)
    }
}
