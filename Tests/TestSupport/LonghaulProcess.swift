import Foundation

/// The built `longhaul` binary (or `longhaul-bench`), run as a real process by end-to-end tests.
public enum LonghaulBinary {
    /// `.build/debug/<name>` next to this package (`swift build --build-tests` builds both).
    public static func path(named name: String = "longhaul") throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for folder in [".build/debug", ".build/x86_64-unknown-linux-gnu/debug", ".build/aarch64-unknown-linux-gnu/debug"] {
            let path = root.appendingPathComponent("\(folder)/\(name)").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw LonghaulProcessError("the \(name) binary is not built; run `swift build --build-tests` (scripts/test does)")
    }
}

/// What a finished `longhaul` run printed and how it exited.
public struct LonghaulRun: Sendable {
    public var exitCode: Int32
    public var standardOutput: String
    public var standardError: String
}

/// A running `longhaul` process (a worker, a simulator) that a test can signal or kill.
public final class LonghaulProcess: Sendable {
    public let pid: Int32
    private let process: Process
    private let output: URL
    private let errors: URL

    /// Starts `longhaul arguments…` (or another built `binary`) with `environment` added to this
    /// process's environment and the variables named in `unsetting` removed from it; its output
    /// goes to a file (`log()` reads it), so a busy child never blocks on a pipe.
    public init(_ arguments: [String], environment: [String: String] = [:], unsetting: [String] = [], binary: String = "longhaul") throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: try LonghaulBinary.path(named: binary))
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        for name in unsetting { merged[name] = nil }
        process.environment = merged
        let name = "longhaul-\(UUID().uuidString)"
        output = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).out")
        errors = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).err")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        pid = process.processIdentifier
    }

    deinit {
        try? FileManager.default.removeItem(at: output)
        try? FileManager.default.removeItem(at: errors)
    }

    public var isRunning: Bool { process.isRunning }

    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits up to `timeout` for the process to exit; returns its exit code, or nil if it still runs.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Everything the process printed on stdout so far.
    public func standardOutput() -> String {
        (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    }

    /// Everything the process printed on stderr so far.
    public func standardError() -> String {
        (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
    }

    /// Waits up to `timeout` until `extract` finds what it looks for in what the process printed
    /// (stdout, then stderr: a listening address, a ready line) and returns it; throws with the log
    /// if the process exits or the time runs out first.
    public func waitForOutput<T>(timeout: Duration = .seconds(30), _ extract: (String) -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let found = extract(log()) { return found }
            guard process.isRunning else {
                throw LonghaulProcessError("longhaul exited (status \(process.terminationStatus)) before printing what was awaited:\n\(log())")
            }
            guard ContinuousClock.now < deadline else {
                throw LonghaulProcessError("longhaul did not print what was awaited within \(timeout):\n\(log())")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Both, for failure messages.
    public func log() -> String { standardOutput() + standardError() }

    /// Kills the process if it still runs (SIGKILL) and reaps it.
    public func stop() async {
        if process.isRunning { kill(pid, SIGKILL) }
        _ = await waitForExit(timeout: .seconds(5))
    }

    /// Runs `body` with `longhaul arguments…` started as in ``init(_:environment:unsetting:)``, and
    /// kills the process when `body` ends if it still runs.
    public static func with<T>(
        _ arguments: [String], environment: [String: String] = [:], unsetting: [String] = [], _ body: (LonghaulProcess) async throws -> T
    ) async throws -> T {
        try await withResource(try LonghaulProcess(arguments, environment: environment, unsetting: unsetting), close: { await $0.stop() }, body)
    }

    /// Runs `longhaul arguments…` (or another built `binary`) to completion and returns its output.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], unsetting: [String] = [], timeout: Duration = .seconds(180),
        binary: String = "longhaul"
    ) async throws -> LonghaulRun {
        let child = try LonghaulProcess(arguments, environment: environment, unsetting: unsetting, binary: binary)
        guard let code = await child.waitForExit(timeout: timeout) else {
            await child.stop()
            throw LonghaulProcessError("\(binary) \(arguments.joined(separator: " ")) ran longer than \(timeout):\n\(child.log())")
        }
        return LonghaulRun(exitCode: code, standardOutput: child.standardOutput(), standardError: child.standardError())
    }
}

public struct LonghaulProcessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
