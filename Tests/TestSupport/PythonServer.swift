import Foundation

/// Starts one of the Python servers in `Interop/` with `LONGHAUL_PYTHON` and waits for the
/// "PORT n" line it prints once listening (stdout to a file of its own, read until then).
enum PythonServer {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func launch(script name: String, arguments: [String], port: Int) async throws -> (LonghaulProcess, Int) {
        guard let python = ProcessInfo.processInfo.environment["LONGHAUL_PYTHON"], !python.isEmpty else {
            throw Failure(description: "LONGHAUL_PYTHON is not set; run scripts/test, or export LONGHAUL_PYTHON=/work/main/.build-python/bin/python")
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Interop/\(name)").path
        let process = try LonghaulProcess(executable: python, [script, "--port", String(port)] + arguments)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let text = process.standardOutput()
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }), let bound = Int(line.dropFirst(5)) {
                return (process, bound)
            }
            guard process.isRunning else { throw Failure(description: "\(name) exited at start (is port \(port) taken?)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        await process.stop()
        throw Failure(description: "\(name) did not start within 60 s")
    }
}
