public import Foundation

/// The outcome of a finished child process.
public struct ProcessOutput: Sendable {
    public var exitCode: Int32
    public var standardOutput: Data
    public var standardError: Data

    /// Standard error (or output) as text, trimmed, for error messages.
    public var diagnostics: String {
        let text = String(decoding: standardError.isEmpty ? standardOutput : standardError, as: UTF8.self)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A child process that failed to start, ran past its time, or exited non-zero.
public struct ProcessFailure: Error, Sendable, CustomStringConvertible {
    public var command: String
    public var reason: String
    public var description: String { "\(command): \(reason)" }
}

/// Runs external programs (pg_ctl, pdftotext, unzip…) without blocking the cooperative pool:
/// the output pipes are drained on GCD threads while the process runs, so a large output cannot
/// fill a pipe and deadlock, and a timeout kills what runs too long.
public enum ProcessRunner {
    public static func run(
        _ executable: String,
        _ arguments: [String],
        input: Data? = nil,
        timeout: Duration = .seconds(120)
    ) async throws -> ProcessOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        let name = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments.prefix(2)).joined(separator: " ")

        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { exited.continuation.yield($0.terminationStatus); exited.continuation.finish() }
        do {
            try process.run()
        } catch {
            throw ProcessFailure(command: name, reason: "could not start \(executable): \(error.localizedDescription)")
        }
        if let input {
            let handle = stdin.fileHandleForWriting
            DispatchQueue.global().async {
                try? handle.write(contentsOf: input)
                try? handle.close()
            }
        }
        async let out = runBlocking { stdout.fileHandleForReading.readDataToEndOfFile() }
        async let err = runBlocking { stderr.fileHandleForReading.readDataToEndOfFile() }

        let status: Int32? = await withTaskGroup(of: Int32?.self) { group in
            group.addTask { await exited.stream.first { _ in true } }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let status else {
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            throw ProcessFailure(command: name, reason: "ran longer than \(timeout) and was stopped")
        }
        return ProcessOutput(exitCode: status, standardOutput: try await out, standardError: try await err)
    }

    /// The first executable named `name` on PATH, or nil.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
