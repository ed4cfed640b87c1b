import Foundation
import LonghaulCore
import Synchronization

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

/// A running `longhaul` process (a worker, a simulator) — or another program, such as a Python
/// server — that a test can signal or kill.
///
/// Started as a ``ChildProcess`` and watched with `waitpid`, not through Foundation's `Process`:
/// that learns of an exit when a socket the child inherited closes, and a long-lived child of
/// another test that inherited a copy of it (spawned at the same moment) hid a CLI run's exit
/// for three minutes in CI.
public final class LonghaulProcess: Sendable {
    public let pid: Int32
    private let child: ChildProcess
    private let ended = Mutex<ChildProcess.Exit?>(nil)
    private let output: URL
    private let errors: URL

    /// Starts `longhaul arguments…` (or another built `binary`) with `environment` added to this
    /// process's environment and the variables named in `unsetting` removed from it; its output
    /// goes to a file (`log()` reads it), so a busy child never blocks on a pipe.
    public convenience init(_ arguments: [String], environment: [String: String] = [:], unsetting: [String] = [], binary: String = "longhaul") throws {
        try self.init(executable: try LonghaulBinary.path(named: binary), arguments, environment: environment, unsetting: unsetting)
    }

    /// Starts the program at `executable`, as above.
    public init(executable: String, _ arguments: [String], environment: [String: String] = [:], unsetting: [String] = []) throws {
        var merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        for name in unsetting { merged[name] = nil }
        let name = "longhaul-\(UUID().uuidString)"
        output = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).out")
        errors = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).err")
        let outputFile = try FileHandle(forWritingTo: Self.created(output))
        let errorFile = try FileHandle(forWritingTo: Self.created(errors))
        defer {
            try? outputFile.close()
            try? errorFile.close()
        }
        child = try ChildProcess.spawn(
            executable, arguments, environment: merged, standardOutput: outputFile.fileDescriptor, standardError: errorFile.fileDescriptor)
        pid = child.pid
    }

    private static func created(_ file: URL) -> URL {
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        return file
    }

    deinit {
        try? FileManager.default.removeItem(at: output)
        try? FileManager.default.removeItem(at: errors)
    }

    /// How it ended, or nil while it runs (the first answer is kept: the process is reaped by it).
    private var exit: ChildProcess.Exit? {
        ended.withLock { exit in
            if exit == nil { exit = child.exitIfEnded() }
            return exit
        }
    }

    public var isRunning: Bool { exit == nil }

    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Waits up to `timeout` for the process to exit; returns its exit code, or nil if it still runs.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return exit?.code
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
            if let exit {
                throw LonghaulProcessError("longhaul exited (status \(exit.code)) before printing what was awaited:\n\(log())")
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
        if isRunning { kill(pid, SIGKILL) }
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
