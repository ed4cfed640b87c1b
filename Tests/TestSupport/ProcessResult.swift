import Foundation

/// A child process's exit status and combined output.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let output: String

    /// Runs `executable` to completion without blocking a cooperative thread: the exit is awaited
    /// through `terminationHandler`, and output goes to a file read only after the exit.
    /// `environment` is added to this process's own.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> ProcessResult {
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("interop-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: outputURL.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: outputURL.path])
        }
        let handle = try FileHandle(forWritingTo: outputURL)
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        }
        process.standardOutput = handle
        process.standardError = handle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try handle.close()
        let output = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "<no output>"
        return ProcessResult(status: status, output: output)
    }
}
