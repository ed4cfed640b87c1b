import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import MantleSimulator

/// The simulator refuses what does not fit a model's window, as Mantle does, and the scale knob
/// lets small documents cross it.
@Suite struct ContextWindowTests {
    /// gpt-oss's 131,072 tokens scaled to 1,310.
    static let scaled = MantleSimulatorConfiguration(
        speed: 1000, minimumDurationSeconds: 1, maximumDurationSeconds: 2, contextWindowScale: 0.01)

    static func body(words: Int, maxOutputTokens: Int? = nil) -> String {
        let text = Array(repeating: "harbour", count: words).joined(separator: " ")
        let output = maxOutputTokens.map { #","max_output_tokens":\#($0)"# } ?? ""
        return #"{"model":"openai.gpt-oss-120b","input":"\#(text)","background":true\#(output)}"#
    }

    @Test func inputOverTheWindowIsA400WithMantlesCodeAndNumbers() async throws {
        try await SimulatorHarness.run(Self.scaled) { sim async throws in
            // 2,000 words of 8 bytes: about 4,000 tokens against a window of 1,310.
            let response = try await sim.post("/v1/responses", Self.body(words: 2_000))
            #expect(response.status == .badRequest)
            let error = try JSON(response)["error"]
            #expect(error["code"].string == "context_length_exceeded")
            #expect(error["type"].string == "invalid_request_error")
            let message = try #require(error["message"].string)
            #expect(message.hasPrefix("This model's maximum context length is 1310 tokens. However, your messages resulted in "))
            #expect(message.hasSuffix(" tokens. Please reduce the length of the messages."))
        }
    }

    @Test func inputThatFitsOnlyWithoutTheRequestedOutputIsRefusedWithBothFigures() async throws {
        try await SimulatorHarness.run(Self.scaled) { sim async throws in
            let response = try await sim.post("/v1/responses", Self.body(words: 400, maxOutputTokens: 1_000))
            #expect(response.status == .badRequest)
            let message = try #require(try JSON(response)["error"]["message"].string)
            #expect(message.contains("in the messages, 1000 in the completion"))
        }
    }

    @Test func inputThatFitsIsAccepted() async throws {
        try await SimulatorHarness.run(Self.scaled) { sim async throws in
            let response = try await sim.post("/v1/responses", Self.body(words: 100, maxOutputTokens: 200))
            #expect(response.status == .ok)
        }
    }

    @Test func scaleOutsideZeroToOneIsRefused() {
        var configuration = MantleSimulatorConfiguration()
        configuration.contextWindowScale = 0
        #expect(configuration.validationProblem()?.contains("contextWindowScale") == true)
        configuration.contextWindowScale = 1
        #expect(configuration.validationProblem() == nil)
    }
}
