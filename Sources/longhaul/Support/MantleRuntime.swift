import Foundation
import HTTPClient
import Logging
import LonghaulCore
import MantleSimulator

/// Where this process sends Responses: the endpoint the environment configures, or — when none
/// is — an in-process simulator, said so on stderr. Owns the HTTP client the gateway uses.
struct MantleRuntime: Sendable {
    let defaultEndpoint: DefaultEndpoint
    let simulator: RunningMantleSimulator?
    let http: HTTPClient

    fileprivate static func start(logger: Logger) async throws -> MantleRuntime {
        // A held stream keeps its connection for as long as the model writes: over HTTP/1.1 (the
        // simulator, a proxy) each needs its own, and the 512 default held streams plus 64 creates
        // and 128 polls would otherwise queue behind curl's per-host limit of 256. Over HTTP/2
        // (Mantle) curl multiplexes them on a few connections.
        let http = HTTPClient(configuration: .init(maxConnectionsPerHost: 4096), logger: logger)
        if let configured = try DefaultEndpoint.fromEnvironment() {
            Console.note("sending Responses to \(configured.endpoint)")
            return MantleRuntime(defaultEndpoint: configured, simulator: nil, http: http)
        }
        let environment = ProcessInfo.processInfo.environment
        var configuration = MantleSimulatorConfiguration()
        if let speed = environment["LONGHAUL_SIMULATOR_SPEED"].flatMap(Double.init), speed > 0 {
            configuration.speed = speed
        }
        if let scale = ContextWindowScale.fromEnvironment(environment) {
            configuration.contextWindowScale = scale
        }
        var simulatorLogger = logger
        simulatorLogger.logLevel = .warning
        let simulator = try await MantleSimulator.start(configuration: configuration, logger: simulatorLogger)
        Console.note(
            "no OPENAI_BASE_URL set: using the in-process Mantle simulator at \(simulator.baseURL.absoluteString) "
                + "(set OPENAI_BASE_URL and OPENAI_API_KEY to use Amazon Bedrock Mantle)")
        return MantleRuntime(
            defaultEndpoint: try .simulator(baseURL: simulator.baseURL.absoluteString), simulator: simulator, http: http)
    }

    func gateway(projects: ProjectStore, logger: Logger) -> MantleGateway {
        MantleGateway(projects: projects, http: http, defaultEndpoint: defaultEndpoint, logger: logger)
    }

    fileprivate func shutdown() async {
        await simulator?.shutdown()
        await http.shutdown()
    }
}

/// Starts a ``MantleRuntime``, runs `body` with it and shuts it down (the simulator, if one was
/// started, and the HTTP client), whether `body` returns or throws.
func withMantleRuntime<T: Sendable>(logger: Logger, _ body: (MantleRuntime) async throws -> T) async throws -> T {
    let runtime = try await MantleRuntime.start(logger: logger)
    return try await withTeardown {
        try await body(runtime)
    } teardown: {
        await runtime.shutdown()
    }
}

/// Runs `body` with a new HTTP client and shuts the client down, whether `body` returns or throws.
func withHTTPClient<T: Sendable>(logger: Logger, _ body: (HTTPClient) async throws -> T) async throws -> T {
    let http = HTTPClient(logger: logger)
    return try await withTeardown {
        try await body(http)
    } teardown: {
        await http.shutdown()
    }
}

/// Runs `body` with an ``EndpointPreflight`` over a new HTTP client, without starting the
/// in-process simulator (`longhaul batch` asks before it reads the folder; the simulator starts
/// with the workers, later).
func withEndpointPreflight<T: Sendable>(
    projects: ProjectStore, logger: Logger, _ body: (EndpointPreflight) async throws -> T
) async throws -> T {
    let endpoint = try DefaultEndpoint.configuredOrUnstartedSimulator()
    return try await withHTTPClient(logger: logger) { http in
        try await body(EndpointPreflight(projects: projects, http: http, defaultEndpoint: endpoint, logger: logger))
    }
}

extension DefaultEndpoint {
    /// The endpoint the environment configures or, when none is, the in-process simulator before
    /// it is started: the preflight asks nothing of the projects that will use it, and a project
    /// with its own base URL but no credential sends the simulator's key, as its jobs will.
    static func configuredOrUnstartedSimulator() throws -> DefaultEndpoint {
        try fromEnvironment() ?? .simulator(baseURL: "http://127.0.0.1:1")  // the address is never used
    }
}
