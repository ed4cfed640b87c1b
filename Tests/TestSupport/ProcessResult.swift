import Foundation
import LonghaulCore

/// A child process's exit status and combined output.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let output: String

    /// Runs `executable` to completion without blocking a cooperative thread (a ``ChildProcess``
    /// waited for through `runBlocking`), its output going to a file read after the exit.
    /// `environment` is added to this process's own.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> ProcessResult {
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("interop-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: outputURL.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: outputURL.path])
        }
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let handle = try FileHandle(forWritingTo: outputURL)
        let child: ChildProcess
        do {
            defer { try? handle.close() }
            child = try ChildProcess.spawn(
                executable, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { _, added in added },
                standardOutput: handle.fileDescriptor, standardError: handle.fileDescriptor)
        }
        let exit = try await runBlocking { child.waitForExit() }
        let output = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "<no output>"
        return ProcessResult(status: exit.code, output: output)
    }
}
