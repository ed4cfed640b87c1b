import Foundation
import MantleSimulator
import TestSupport

/// Runs `longhaul batch` as a child process with only the configuration a test gives it: the
/// shell's own `DATABASE_URL` or Mantle endpoint must never leak into a test.
struct BatchRunner {
    /// The variables a child could otherwise inherit from whoever runs the tests.
    static let configurationVariables = [
        "DATABASE_URL", "OPENAI_BASE_URL", "OPENAI_API_KEY", "AWS_BEARER_TOKEN_BEDROCK", "LONGHAUL_SIMULATOR_SPEED", "LONGHAUL_HOME",
        "LONGHAUL_AUTO_MIGRATE",
    ]

    var environment: [String: String]

    /// A fresh database on the test server and the in-process simulator at `speed`.
    static func inProcessSimulator(database: String, speed: Int = 50) -> BatchRunner {
        BatchRunner(environment: ["DATABASE_URL": database, "LONGHAUL_SIMULATOR_SPEED": String(speed)])
    }

    /// A fresh database on the test server and a standalone simulator.
    static func standalone(_ simulator: SimulatorProcess, database: String) -> BatchRunner {
        BatchRunner(environment: ["DATABASE_URL": database, "OPENAI_BASE_URL": simulator.baseURL, "OPENAI_API_KEY": "test-key"])
    }

    var unsetting: [String] { Self.configurationVariables.filter { environment[$0] == nil } }

    /// `longhaul batch arguments…`, to the end.
    func run(_ arguments: [String], timeout: Duration = .seconds(60)) async throws -> LonghaulRun {
        try await LonghaulProcess.run(["batch"] + arguments, environment: environment, unsetting: unsetting, timeout: timeout)
    }

    /// `longhaul batch arguments…`, left running for `body` to signal and watch; killed when `body`
    /// ends if it still runs.
    func withStarted<T>(_ arguments: [String], _ body: (LonghaulProcess) async throws -> T) async throws -> T {
        try await LonghaulProcess.with(["batch"] + arguments, environment: environment, unsetting: unsetting, body)
    }

    /// `longhaul batch arguments…` to the end against a standalone simulator started with
    /// `simulatorArguments` for this run alone; returns what the run printed and the simulator's counters.
    static func runStandalone(
        _ arguments: [String], simulator simulatorArguments: [String], database: String
    ) async throws -> (run: LonghaulRun, counters: MantleSimulatorCounters) {
        try await SimulatorProcess.with(simulatorArguments) { simulator in
            let run = try await standalone(simulator, database: database).run(arguments)
            return (run, try await simulator.counters())
        }
    }
}

extension LonghaulRun {
    /// Everything the run printed, for failure messages.
    var log: String { "exit \(exitCode)\n--- stdout\n\(standardOutput)\n--- stderr\n\(standardError)" }
}

extension MantleSimulatorCounters {
    /// Every (job, attempt) created more than once, for a failure message: each is a duplicate.
    var duplicateAttempts: [String] {
        createsByJob.flatMap { job, attempts in attempts.filter { $0.value > 1 }.map { "\(job) attempt \($0.key): \($0.value) creates" } }
            .sorted()
    }
}
