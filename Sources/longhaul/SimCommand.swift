import ArgumentParser
import Foundation
import Logging
import MantleSimulator
import ServiceLifecycle
import UnixSignals

/// `longhaul sim`: runs the Mantle simulator until SIGINT or SIGTERM.
struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Run a local Bedrock look-alike (Mantle's Responses, Chat Completions, Messages and projects; bedrock-runtime's InvokeModel) for tests and benchmarks.",
        discussion: """
            Prints one line with its URL, then serves until SIGINT/SIGTERM. Options override the
            --config file, whose keys are those of MantleSimulatorConfiguration (all optional).
            Test-only endpoints: GET /_simulator/counters, POST /_simulator/config, POST /_simulator/reset.
            """
    )

    @Option(help: "Interface to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port).")
    var port = 8089

    @Option(help: "A JSON configuration file; options given on the command line override it.")
    var config: String?

    @Option(help: "Time compression: 1000 makes a 4 s Response take 4 ms.")
    var speed: Double?

    @Option(help: "Seed for fault draws and durations, to repeat a run exactly.")
    var seed: UInt64?

    @Flag(help: "Responses finish the moment they are created (for benchmarks).")
    var zeroLatency = false

    @Option(help: "Shortest simulated Response duration in seconds (before length scaling).")
    var minDuration: Double?

    @Option(help: "Longest simulated Response duration in seconds (before length scaling).")
    var maxDuration: Double?

    @Option(name: .customLong("api-key"), help: "An accepted bearer key (repeatable; none: any non-empty key).")
    var apiKeys: [String] = []

    @Option(help: "Token-per-minute quota for every project (input + max_output_tokens).")
    var tokensPerMinute: Int?

    @Option(help: "Real seconds a hung request is held before its connection is closed.")
    var hangSeconds: Double?

    @Option(help: "Simulated seconds an injected 429 asks the client to wait.")
    var retryAfterSeconds: Double?

    @Option(help: "Multiplies every model's context window (0 < scale ≤ 1), so small documents cross it in tests.")
    var contextWindowScale: Double?

    @OptionGroup var faults: SimFaultOptions

    func validate() throws {
        _ = try makeConfiguration(fileData: nil)  // the file is read (off the thread pool) in run()
    }

    /// The configuration file's bytes, read on a dispatch queue: a file read of unknown size must
    /// not block Swift's cooperative pool.
    private func readConfigFile(_ path: String) async throws -> Data {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try Data(contentsOf: URL(fileURLWithPath: path)) })
            }
        }
    }

    func makeConfiguration(fileData: Data?) throws -> MantleSimulatorConfiguration {
        var configuration = MantleSimulatorConfiguration()
        if let fileData, let config {
            do {
                configuration = try JSONDecoder().decode(MantleSimulatorConfiguration.self, from: fileData)
            } catch {
                throw ValidationError(
                    "Cannot read the simulator configuration in \(config): \(error). "
                        + "Give a JSON object whose keys are those of MantleSimulatorConfiguration.")
            }
        }
        if let speed { configuration.speed = speed }
        if let seed { configuration.seed = seed }
        if zeroLatency { configuration.zeroLatency = true }
        if let minDuration { configuration.minimumDurationSeconds = minDuration }
        if let maxDuration { configuration.maximumDurationSeconds = maxDuration }
        if !apiKeys.isEmpty { configuration.apiKeys = apiKeys }
        if let tokensPerMinute { configuration.tokensPerMinute = tokensPerMinute }
        if let hangSeconds { configuration.hangSeconds = hangSeconds }
        if let retryAfterSeconds { configuration.retryAfterSeconds = retryAfterSeconds }
        if let contextWindowScale { configuration.contextWindowScale = contextWindowScale }
        try faults.apply(to: &configuration)
        if let problem = configuration.validationProblem() {
            throw ValidationError("The simulator configuration is not usable: \(problem).")
        }
        return configuration
    }

    func run() async throws {
        // Not swift-log's default handler: it formats a logger's whole metadata each time a key is
        // set, and Hummingbird sets a request id on every request (3 % of the simulator's CPU in
        // `bench/pipeline.sh`, `perf record -g`), for lines no request writes.
        LoggingSetup.bootstrap(level: .info, format: .text)
        var logger = Logger(label: "longhaul.sim")
        logger.logLevel = .info
        var fileData: Data?
        if let config {
            do {
                fileData = try await readConfigFile(config)
            } catch {
                throw ValidationError("Cannot read the simulator configuration file \(config): \(error.localizedDescription)")
            }
        }
        let simulator = MantleSimulator(
            configuration: try makeConfiguration(fileData: fileData),
            host: host,
            port: port,
            logger: logger
        )
        var groupConfiguration = ServiceGroupConfiguration(
            services: [simulator],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        // Hung requests would hold a graceful shutdown for hangSeconds; cut it short.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(3)
        let group = ServiceGroup(configuration: groupConfiguration)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                let bound = await simulator.boundPort()
                guard bound > 0 else { return }
                let shownHost = host.contains(":") ? "[\(host)]" : host
                // Written unbuffered: scripts wait for this line on a pipe.
                let line = "mantle simulator listening on http://\(shownHost):\(bound) (\(simulator.configuration))\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            }
            try await tasks.waitForAll()
        }
    }
}
