import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import MantleSimulator

@Suite struct FaultInjectionTests {
    static func configuration(_ route: FaultRoute, _ kind: InjectedFaultKind) -> MantleSimulatorConfiguration {
        var configuration = SimulatorHarness.fast
        var rates = FaultRates()
        rates.setRate(1, of: kind)
        configuration.setFaults(rates, for: route)
        configuration.hangSeconds = 1
        return configuration
    }

    static let answeredKinds: [(InjectedFaultKind, HTTPResponse.Status)] = [
        (.tooManyRequests, .tooManyRequests), (.internalServerError, .internalServerError),
        (.serviceUnavailable, .serviceUnavailable), (.badRequestInternalError, .badRequest),
    ]

    /// The routes answering in Mantle's OpenAI envelope (Messages and bedrock-runtime have their
    /// own: GenerationFaultTests).
    static let openAIRoutes: [FaultRoute] = [.create, .retrieve, .cancel, .chat]

    @Test(arguments: openAIRoutes)
    func answeredFaultsHaveTheirStatusAndEnvelope(_ route: FaultRoute) async throws {
        for (kind, status) in Self.answeredKinds {
            try await SimulatorHarness.run(Self.configuration(route, kind)) { sim async throws in
                let response = try await Self.request(route, sim)
                #expect(response.status == status, "\(route) \(kind)")
                let error = try JSON(response)["error"]
                #expect(error.keys == ["message", "type", "param", "code"])
                if kind == .badRequestInternalError { #expect(error["message"].string == "Internal server error") }
                if kind == .tooManyRequests {
                    #expect(response.headers[.retryAfter] == "1")
                    #expect(response.headers[HTTPField.Name("retry-after-ms")!] == "2")  // 2 s at speed 1000
                }
                #expect(sim.engine.counters().faultsByKind[kind] == 1)
                #expect(sim.engine.counters().responsesCreated == 0)
            }
        }
    }

    @Test(arguments: FaultRoute.allCases)
    func droppedConnectionGetsNoAnswer(_ route: FaultRoute) async throws {
        try await SimulatorHarness.run(Self.configuration(route, .dropConnection)) { sim async throws in
            await #expect(throws: (any Error).self) { _ = try await Self.request(route, sim) }
            #expect(sim.engine.counters().faultsByKind[.dropConnection] == 1)
        }
    }

    @Test func hangNeverAnswersBeforeTheClientGivesUp() async throws {
        try await SimulatorHarness.run(Self.configuration(.create, .hang)) { sim async throws in
            let start = ContinuousClock.now
            let answered = await withTaskGroup(of: Bool?.self) { group in
                group.addTask { (try? await Self.request(.create, sim)) != nil }
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(400))
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
            #expect(answered == nil, "a hung create must not be answered within 400 ms")
            #expect(ContinuousClock.now - start >= .milliseconds(400))
            #expect(sim.engine.counters().faultsByKind[.hang] == 1)
        }
    }

    @Test func createdButAnswerLostStillCreatesTheResponse() async throws {
        try await SimulatorHarness.run(Self.configuration(.create, .createdButAnswerLost)) { sim async throws in
            let body = #"{"model":"openai.gpt-oss-120b","input":"hello","background":true,"metadata":{"job_id":"j-9","attempt":"1"}}"#
            await #expect(throws: (any Error).self) { _ = try await sim.post("/v1/responses", body) }
            let counters = sim.engine.counters()
            #expect(counters.faultsByKind[.createdButAnswerLost] == 1)
            let id = try #require(counters.answerLostResponseIDs.first)
            #expect(counters.creates(jobID: "j-9", attempt: "1") == 1)
            // The live test client's one connection is gone with the answer; ask the engine.
            let stored = try #require(sim.engine.response(id: id, project: "default"))
            try await Task.sleep(for: .seconds(max(0, stored.finishAt - SimulatorEngine.now())))
            #expect(stored.status(at: SimulatorEngine.now()) == .completed)
        }
    }

    @Test func failedResponsesEndWithServerError() async throws {
        try await SimulatorHarness.run(Self.configuration(.create, .failedResponse)) { sim async throws in
            let created = try await sim.create()
            #expect(created["status"].string == "in_progress")
            let done = try await sim.waitTerminal(try #require(created["id"].string))
            #expect(done["status"].string == "failed")
            #expect(done["error"]["code"].string == "server_error")
            #expect(done["error"]["message"].string?.isEmpty == false)
            #expect(sim.engine.counters().failedResponseIDs == [created["id"].string])
        }
    }

    @Test func seededFaultsRepeatExactly() async throws {
        var configuration = SimulatorHarness.fast
        configuration.seed = 42
        configuration.createFaults = FaultRates(tooManyRequests: 0.3, internalServerError: 0.2)
        func sequence() -> [InjectedFaultKind?] {
            let engine = SimulatorEngine(configuration: configuration)
            return (0..<200).map { _ in engine.drawFault(.create) }
        }
        let first = sequence()
        #expect(first == sequence())
        let tooMany = first.filter { $0 == .tooManyRequests }.count
        let serverErrors = first.filter { $0 == .internalServerError }.count
        #expect((40...80).contains(tooMany) && (20...60).contains(serverErrors), "\(tooMany) 429s, \(serverErrors) 500s")
    }

    @Test func tokenQuotaAnswers429WhenTheMinuteIsFull() async throws {
        var configuration = SimulatorHarness.fast
        configuration.speed = 1  // a real minute, so the window does not drain during the test
        configuration.tokensPerMinute = 1000
        try await SimulatorHarness.run(configuration) { sim async throws in
            let start = ContinuousClock.now
            _ = try await sim.create(input: "hello", maxOutputTokens: 600)
            let body = #"{"model":"openai.gpt-oss-120b","input":"hello","background":true,"max_output_tokens":600}"#
            let refused = try await sim.post("/v1/responses", body)
            let elapsed = Int((ContinuousClock.now - start) / .seconds(1))
            #expect(refused.status == .tooManyRequests)
            // The window frees a minute after the first admission, however slow the machine was in between.
            let retryAfter = Int(refused.headers[.retryAfter] ?? "") ?? 0
            #expect((60 - elapsed - 2...60).contains(retryAfter), "Retry-After \(retryAfter) s, \(elapsed) s after the first create")
            #expect(try JSON(refused)["error"]["code"].string == "rate_limit_exceeded")
            // A small request still fits in what is left of the quota.
            _ = try await sim.create(input: "hello", maxOutputTokens: 300)
            #expect(sim.engine.counters().faultsByKind[.tokenQuotaExceeded] == 1)
        }
    }

    static func request(_ route: FaultRoute, _ sim: SimulatorHarness) async throws -> TestResponse {
        switch route {
        case .create:
            return try await sim.post("/v1/responses", #"{"model":"openai.gpt-oss-120b","input":"hello","background":true}"#)
        case .retrieve:
            return try await sim.get("/v1/responses/resp_any")
        case .cancel:
            return try await sim.post("/v1/responses/resp_any/cancel", "")
        case .chat:
            return try await sim.post("/v1/chat/completions", try ChatCompletionsTests.body())
        case .messages:
            return try await sim.post("/anthropic/v1/messages", try MessagesTests.body(), headers: SimulatorHarness.anthropicHeaders())
        case .invoke:
            return try await sim.post("/model/anthropic.claude-opus-4-7/invoke", try InvokeTests.body(), headers: InvokeTests.bearer)
        }
    }
}
