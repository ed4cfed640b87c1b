import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import MantleSimulator

/// Faults of the held-generation routes: cut streams, in-stream errors, 529 and 429 in each
/// API's own envelope, and the counters that let a test check what a client saw.
@Suite struct GenerationFaultTests {
    static func configuration(_ route: FaultRoute, _ kind: InjectedFaultKind) -> MantleSimulatorConfiguration {
        FaultInjectionTests.configuration(route, kind)
    }

    static let chat = (try? ChatCompletionsTests.body(stream: true, usage: true)) ?? ""
    static let messages = (try? MessagesTests.body(stream: true)) ?? ""
    static let invoke = (try? InvokeTests.body()) ?? ""

    @Test(arguments: [FaultRoute.chat, .messages, .invoke])
    func cutStreamStopsHalfWayWithoutATerminalEvent(_ route: FaultRoute) async throws {
        try await SimulatorHarness.run(Self.configuration(route, .streamCut)) { sim async throws in
            let answer: TestResponse?
            switch route {
            case .chat: answer = try? await sim.post("/v1/chat/completions", Self.chat)
            case .messages:
                answer = try? await sim.post("/anthropic/v1/messages", Self.messages, headers: SimulatorHarness.anthropicHeaders())
            default:
                answer = try? await sim.post(
                    "/model/anthropic.claude-opus-4-7/invoke-with-response-stream", Self.invoke, headers: InvokeTests.bearer)
            }
            // The client sees the connection close mid-body (an error), or at best a body with no end.
            if let answer {
                let body = String(buffer: answer.body)
                #expect(!body.contains("[DONE]") && !body.contains("message_stop"))
            }
            let counters = sim.engine.counters()
            #expect(counters.faultsByKind[.streamCut] == 1)
            #expect(counters.generationsStarted.values.reduce(0, +) == 1)
            #expect(counters.generationsCompleted.isEmpty)
            #expect(counters.generationsInFlight == 0)
            #expect(counters.outputTokensByRoute.values.reduce(0, +) > 0, "a cut stream counts the tokens it sent")
        }
    }

    @Test func inStreamErrorsAreEachAPIsOwn() async throws {
        try await SimulatorHarness.run(Self.configuration(.chat, .streamError)) { sim async throws in
            let events = SSE.events(try await sim.post("/v1/chat/completions", Self.chat))
            #expect(SSE.json(try #require(events.last).data)["error"]["type"].string == "server_error")
            #expect(!events.contains { $0.data == "[DONE]" })
        }
        try await SimulatorHarness.run(Self.configuration(.messages, .streamError)) { sim async throws in
            let events = SSE.events(
                try await sim.post("/anthropic/v1/messages", Self.messages, headers: SimulatorHarness.anthropicHeaders()))
            #expect(events.last?.event == "error")
            #expect(SSE.json(try #require(events.last).data)["error"]["type"].string == "overloaded_error")
            #expect(events.contains { $0.event == "content_block_delta" })
        }
        try await SimulatorHarness.run(Self.configuration(.invoke, .streamError)) { sim async throws in
            let response = try await sim.post(
                "/model/anthropic.claude-opus-4-7/invoke-with-response-stream", Self.invoke, headers: InvokeTests.bearer)
            let last = try #require(try InvokeTests.frames(Array(response.body.readableBytesView)).last)
            #expect(last.headers[":message-type"] == "exception")
            #expect(last.headers[":exception-type"] == "modelStreamErrorException")
            #expect(sim.engine.counters().generationsCompleted.isEmpty)
        }
    }

    @Test func overloadedAndThrottledInEachEnvelope() async throws {
        try await SimulatorHarness.run(Self.configuration(.messages, .overloaded)) { sim async throws in
            let response = try await sim.post("/anthropic/v1/messages", Self.messages, headers: SimulatorHarness.anthropicHeaders())
            #expect(response.status.code == 529)
            #expect(try JSON(response)["error"]["type"].string == "overloaded_error")
        }
        try await SimulatorHarness.run(Self.configuration(.messages, .tooManyRequests)) { sim async throws in
            let response = try await sim.post("/anthropic/v1/messages", Self.messages, headers: SimulatorHarness.anthropicHeaders())
            #expect(response.status == .tooManyRequests)
            #expect(try JSON(response)["error"]["type"].string == "rate_limit_error")
            #expect(response.headers[.retryAfter] == "1")
        }
        try await SimulatorHarness.run(Self.configuration(.invoke, .overloaded)) { sim async throws in
            let response = try await sim.post("/model/anthropic.claude-opus-4-7/invoke", Self.invoke, headers: InvokeTests.bearer)
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[HTTPField.Name("x-amzn-ErrorType")!]?.hasPrefix("ServiceUnavailableException:") == true)
        }
        try await SimulatorHarness.run(Self.configuration(.invoke, .tooManyRequests)) { sim async throws in
            let response = try await sim.post("/model/anthropic.claude-opus-4-7/invoke", Self.invoke, headers: InvokeTests.bearer)
            #expect(response.status == .tooManyRequests)
            #expect(response.headers[HTTPField.Name("x-amzn-ErrorType")!]?.hasPrefix("ThrottlingException:") == true)
        }
        try await SimulatorHarness.run(Self.configuration(.chat, .internalServerError)) { sim async throws in
            let response = try await sim.post("/v1/chat/completions", Self.chat)
            #expect(response.status == .internalServerError)
            #expect(try JSON(response)["error"]["type"].string == "server_error")
            #expect(sim.engine.counters().faultsByKind[.internalServerError] == 1)
        }
    }

    @Test func aHeldStreamCountsAsInFlightUntilItEnds() async throws {
        var configuration = SimulatorHarness.fast
        configuration.speed = 10  // a 1–2 s generation takes 0.1–0.2 s
        try await SimulatorHarness.run(configuration) { sim async throws in
            async let answer = sim.post("/anthropic/v1/messages", Self.messages, headers: SimulatorHarness.anthropicHeaders())
            var seen = 0
            while seen == 0, sim.engine.counters().generationsCompleted.isEmpty {
                seen = max(seen, sim.engine.counters().generationsInFlight)
                try await Task.sleep(for: .milliseconds(1))
            }
            #expect(try await answer.status == .ok)
            #expect(seen == 1)
            #expect(sim.engine.counters().generationsInFlight == 0)
            #expect(sim.engine.counters().peakGenerationsInFlight == 1)
        }
    }

    @Test func faultKindsApplyOnlyWhereTheyMakeSense() {
        // A streamed background create is cut like a held stream; a retrieve has no stream to cut.
        #expect(InjectedFaultKind.streamCut.applies(to: .chat) && InjectedFaultKind.streamCut.applies(to: .create))
        #expect(!InjectedFaultKind.streamCut.applies(to: .retrieve) && !InjectedFaultKind.streamError.applies(to: .create))
        #expect(InjectedFaultKind.failedResponse.applies(to: .create) && !InjectedFaultKind.failedResponse.applies(to: .messages))
        var configuration = MantleSimulatorConfiguration()
        configuration.invokeFaults.streamCut = 2
        #expect(configuration.validationProblem() == "the invoke rate of streamCut must lie in 0…1 (got 2.0)")
    }
}
