import Foundation
import TestSupport
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
