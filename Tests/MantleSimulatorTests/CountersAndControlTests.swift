import Hummingbird
import HummingbirdTesting
import Foundation
import HTTPTypes
import Testing

@testable import MantleSimulator

@Suite struct CountersAndControlTests {
    @Test func countsRequestsCreatesAndInFlight() async throws {
        var configuration = SimulatorHarness.fast
        configuration.speed = 1
        // An hour each, so none ends while the test runs, however slow the machine (30 s did once).
        configuration.minimumDurationSeconds = 3600
        configuration.maximumDurationSeconds = 3600
        try await SimulatorHarness.run(configuration) { sim async throws in
            let project = try #require(try JSON(try await sim.post("/v1/organization/projects", #"{"name":"counted"}"#))["id"].string)
            _ = try await sim.create(metadata: ["job_id": "job-1", "attempt": "1"], project: project)
            _ = try await sim.create(metadata: ["job_id": "job-1", "attempt": "1"], project: project)
            let third = try await sim.create(metadata: ["job_id": "job-1", "attempt": "2"], project: project)
            _ = try await sim.get("/v1/responses/\(third["id"].string ?? "")", project: project)
            _ = try await sim.post("/v1/responses/\(third["id"].string ?? "")/cancel", "", project: project)

            let counters = try JSON(try await sim.get("/_simulator/counters"))
            #expect(counters["requestsByProject"][project].int == 5)
            #expect(counters["requestsByProject"]["default"].int == 1)
            #expect(counters["requestsByRoute"]["createResponse"].int == 3)
            #expect(counters["requestsByRoute"]["retrieveResponse"].int == 1)
            #expect(counters["requestsByRoute"]["cancelResponse"].int == 1)
            #expect(counters["createsByJob"]["job-1"]["1"].int == 2, "a duplicate submission shows as 2")
            #expect(counters["createsByJob"]["job-1"]["2"].int == 1)
            #expect(counters["inFlightByProject"][project].int == 2)
            #expect(counters["peakInFlightByProject"][project].int == 3)
            #expect(sim.engine.counters().creates(jobID: "job-1") == 3)
        }
    }

    @Test func configCanBeChangedAtRunTimeAndReset() async throws {
        try await SimulatorHarness.run { sim async throws in
            let updated = try await sim.post("/_simulator/config", #"{"retrieveFaults":{"serviceUnavailable":1},"apiKeys":["secret-key"]}"#)
            #expect(updated.status == .ok)
            #expect(!String(buffer: updated.body).contains("secret-key"))
            #expect(sim.engine.configuration.retrieveFaults.serviceUnavailable == 1)
            #expect(sim.engine.configuration.speed == 1000, "keys not in the patch keep their value")
            #expect(try await sim.get("/v1/responses/resp_x", key: "secret-key").status == .serviceUnavailable)

            let invalid = try await sim.post("/_simulator/config", #"{"speed":0}"#)
            #expect(invalid.status == .badRequest)

            _ = try await sim.post("/_simulator/config", #"{"retrieveFaults":{"serviceUnavailable":0},"apiKeys":[]}"#)
            _ = try await sim.create()
            #expect(sim.engine.counters().responsesCreated == 1)
            #expect(try await sim.post("/_simulator/reset", "").status == .ok)
            #expect(sim.engine.counters().responsesCreated == 0)
            #expect(sim.engine.counters().requestsByRoute.isEmpty)
        }
    }

    @Test func tenThousandInFlightAreCheap() async throws {
        var configuration = SimulatorHarness.fast
        configuration.speed = 1
        configuration.minimumDurationSeconds = 600
        configuration.maximumDurationSeconds = 600
        let engine = SimulatorEngine(configuration: configuration)
        let request = try JSONDecoderHelper.request(#"{"model":"openai.gpt-oss-120b","input":"hello there","background":true}"#)
        let echo = EchoedRequestFields(request, model: "openai.gpt-oss-120b")
        let model = try #require(ModelCatalogue.model("openai.gpt-oss-120b"))
        let answer = AnswerWriter.answer(for: request, model: model, inputTokens: 10, makeID: engine.makeID)
        for _ in 0..<10_000 {
            _ = engine.create(
                id: engine.makeID("resp_"), project: "default", echo: echo, outcome: .answered(answer),
                inputTokens: 10, admittedTokens: 100, fault: nil)
        }
        let counters = engine.counters()
        #expect(counters.inFlightByProject["default"] == 10_000)
        #expect(counters.peakInFlightByProject["default"] == 10_000)
    }

    @Test("every 4,096 creates, finished Responses past the retention are forgotten; those within it stay")
    func finishedResponsesPastRetentionAreForgotten() throws {
        var configuration = SimulatorHarness.fast
        configuration.zeroLatency = true
        let request = try JSONDecoderHelper.request(#"{"model":"openai.gpt-oss-120b","input":"hello there","background":true}"#)
        let echo = EchoedRequestFields(request, model: "openai.gpt-oss-120b")
        let model = try #require(ModelCatalogue.model("openai.gpt-oss-120b"))
        let mint = IDMint()
        let answer = AnswerWriter.answer(for: request, model: model, inputTokens: 10, makeID: mint.makeID)
        for retention in [0.0, 3600] {
            configuration.retentionSeconds = retention
            let engine = SimulatorEngine(configuration: configuration)
            let ids = (0..<4096).map { _ in mint.makeID("resp_") }
            for id in ids.dropLast() {
                _ = engine.create(id: id, project: "default", echo: echo, outcome: .answered(answer), inputTokens: 10, admittedTokens: 100, fault: nil)
            }
            #expect(engine.response(id: ids[0], project: "default") != nil, "no purge before the 4,096th create")
            _ = engine.create(id: ids[4095], project: "default", echo: echo, outcome: .answered(answer), inputTokens: 10, admittedTokens: 100, fault: nil)
            let kept = ids.filter { engine.response(id: $0, project: "default") != nil }.count
            #expect(kept == (retention == 0 ? 0 : 4096), "retention \(retention) s")
        }
    }
}

enum JSONDecoderHelper {
    static func request(_ json: String) throws -> CreateResponseRequest {
        try JSONDecoder().decode(CreateResponseRequest.self, from: Data(json.utf8))
    }
}
