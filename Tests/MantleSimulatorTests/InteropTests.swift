import Foundation
import Testing

import MantleSimulator

/// The official `openai` Python SDK against the simulator: if the SDK parses our bodies, raises
/// its typed errors for our statuses and computes `output_text`, the wire format is right.
@Suite struct InteropTests {
    @Test func officialPythonSDKAgreesWithTheSimulator() async throws {
        guard let python = ProcessInfo.processInfo.environment["LONGHAUL_PYTHON"], !python.isEmpty else {
            Issue.record("LONGHAUL_PYTHON is not set: export LONGHAUL_PYTHON=/work/main/.build-python/bin/python (an interpreter with the openai package).")
            return
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Interop/openai_sdk_against_simulator.py")
        let running = try await MantleSimulator.start(
            configuration: .init(speed: 1000, minimumDurationSeconds: 1, maximumDurationSeconds: 2),
            port: 0
        )
        let result: ProcessResult
        do {
            result = try await ProcessResult.run(python, [script.path, "--base-url", running.baseURL.absoluteString])
        } catch {
            await running.shutdown()
            throw error
        }
        await running.shutdown()
        #expect(result.status == 0, "openai SDK interop failed:\n\(result.output)")
    }
}

/// A child process's exit status and combined output.
struct ProcessResult {
    let status: Int32
    let output: String

    /// Runs `executable` to completion without blocking a cooperative thread: the exit is awaited
    /// through `terminationHandler`, and output goes to a file read only after the exit.
    static func run(_ executable: String, _ arguments: [String]) async throws -> ProcessResult {
        let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("interop-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: outputURL.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: outputURL.path])
        }
        let handle = try FileHandle(forWritingTo: outputURL)
        defer { try? FileManager.default.removeItem(at: outputURL) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
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
