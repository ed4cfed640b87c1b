import Dispatch
import Synchronization
import Foundation
import Testing

/// Runs the interop scripts under `Tests/MantleTests/Interop` with the interpreter that has the
/// official Python packages (`LONGHAUL_PYTHON`, set by scripts/test).
enum PythonInterop {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The interpreter, or a failure saying how to provide one (interop tests fail, never skip).
    static func interpreter() throws -> String {
        guard let python = ProcessInfo.processInfo.environment["LONGHAUL_PYTHON"], !python.isEmpty else {
            throw Failure(description: "LONGHAUL_PYTHON is not set; run scripts/test, or export LONGHAUL_PYTHON=/work/main/.build-python/bin/python (scripts/setup --test builds it)")
        }
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(description: "LONGHAUL_PYTHON=\(python) is not an executable; run scripts/setup --test")
        }
        return python
    }

    /// The path of a script in the Interop folder.
    static func script(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Interop").appendingPathComponent(name).path
    }

    /// Runs `script` with `arguments` and returns its standard output. The process is started and
    /// waited for on a Dispatch thread, not on Swift's cooperative pool (waitpid blocks).
    static func run(_ script: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> String {
        let python = try interpreter()
        let path = self.script(script)
        let result: Result<String, Failure> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: python)
                process.arguments = [path] + arguments
                if let environment { process.environment = environment }
                let output = Pipe()
                let errors = Pipe()
                process.standardOutput = output
                process.standardError = errors
                do {
                    try process.run()
                } catch {
                    continuation.resume(returning: .failure(Failure(description: "cannot start \(python): \(error)")))
                    return
                }
                // Drain stderr concurrently so a chatty script cannot block on a full pipe.
                let errorData = SharedData()
                let group = DispatchGroup()
                DispatchQueue.global().async(group: group) {
                    let data = errors.fileHandleForReading.readDataToEndOfFile()
                    errorData.value.withLock { $0 = data }
                }
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                group.wait()
                let stderr = errorData.value.withLock { String(decoding: $0, as: UTF8.self) }
                if process.terminationStatus != 0 {
                    continuation.resume(returning: .failure(Failure(description: "\(script) exited \(process.terminationStatus): \(stderr)")))
                } else {
                    continuation.resume(returning: .success(String(decoding: data, as: UTF8.self)))
                }
            }
        }
        return try result.get()
    }
}

/// Bytes filled in by one thread and read by another after a `DispatchGroup.wait()`.
private final class SharedData: Sendable {
    let value = Mutex(Data())
}
