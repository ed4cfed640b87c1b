import Foundation
import TestSupport
import Testing

import MantleSimulator

/// The official Python SDKs against the simulator: if they parse our bodies with their own types,
/// raise their typed errors for our statuses and decode our streams, the wire format is right.
/// One Python process per script, each checking many cases.
@Suite struct InteropTests {
    @Test func officialPythonSDKAgreesWithTheSimulator() async throws {
        try await Self.run("openai_sdk_against_simulator.py")
    }

    /// `openai` Chat Completions, `anthropic` Messages on Mantle and `AnthropicBedrock` (SigV4)
    /// on the bedrock-runtime routes.
    @Test func chatMessagesAndBedrockRuntimeSDKsAgreeWithTheSimulator() async throws {
        try await Self.run("bedrock_sdks_against_simulator.py")
    }

    static func run(_ scriptName: String) async throws {
        guard let python = ProcessInfo.processInfo.environment["LONGHAUL_PYTHON"], !python.isEmpty else {
            Issue.record("LONGHAUL_PYTHON is not set: export LONGHAUL_PYTHON=/work/main/.build-python/bin/python (an interpreter with the openai and anthropic packages).")
            return
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Interop/\(scriptName)")
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
        #expect(result.status == 0, "\(scriptName) failed:\n\(result.output)")
    }
}
