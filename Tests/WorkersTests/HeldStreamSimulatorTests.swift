import Foundation
import LonghaulCore
import Mantle
import MantleSimulator
import TestSupport
import Testing
import Workers

/// Held streams through the worker loops against the real in-process simulator on all three APIs
/// at once (Chat Completions, Messages on Mantle, bedrock-runtime's invoke-with-response-stream),
/// with about one stream in ten cut half-way: the simulator's counters are the ground truth.
@Suite("Held streams against the simulator")
struct HeldStreamSimulatorTests {
    /// A model per API and the simulator route its streams arrive on.
    static let models: [(id: String, route: SimulatorRoute)] = [
        ("qwen.qwen3-32b", .chatCompletions), ("anthropic.claude-opus-4-7", .messages), ("us.anthropic.claude-sonnet-4-6", .invokeStream),
    ]

    @Test("60 jobs on 3 streamed APIs, 1 stream in 10 cut: each completes once with its stream's usage; each cut an interrupted attempt")
    func cutStreamsOnEveryAPI() async throws {
        var simulator = MantleSimulatorConfiguration.quick
        for route in [FaultRoute.chat, .messages, .invoke] { simulator.setFaults(FaultRates(streamCut: 0.1), for: route) }
        // And Anthropic's 529 now and then: retried after its retry-after, no stream started.
        simulator.messagesFaults.overloaded = 0.1
        try await PipelineHarness.with("held_simulator", simulator: simulator, workers: HeldStreamTests.workers) { harness in
            // Five attempts: a job cut four times running (1 in 10,000) is not this test's subject.
            let project = try await harness.project("streams", maxAttempts: 5)
            var idsByModel: [String: [String]] = [:]
            for model in Self.models {
                let requests = try (0..<20).map { index in
                    try harness.fixture.validated(
                        JobRequest(
                            document: "Report \(index) for \(model.id). The harbour has two piers. Ferries use the west pier in winter.",
                            model: model.id, maxOutputTokens: 200))
                }
                idsByModel[model.id] = try await harness.fixture.store.enqueue(requests, project: project).map(\.publicID)
            }
            let jobs = try await harness.waitForTerminal(Self.models.flatMap { idsByModel[$0.id] ?? [] })
            let counters = harness.simulator.counters()

            #expect(jobs.filter { $0.state != .completed }.map { "\($0.publicID) \($0.state) \($0.errorMessage ?? "")" } == [])
            #expect(jobs.allSatisfy { $0.outputText?.isEmpty == false })
            #expect(try await harness.fixture.count("SELECT count(*) FROM results") == jobs.count, "one result per job")
            #expect(try await harness.fixture.count("SELECT count(*) FROM attempts WHERE outcome = 'completed'") == jobs.count)

            // The simulator answered each job's stream in full exactly once, and stored usage is
            // what those streams reported, route by route, plus what the cut attempts had used.
            for model in Self.models {
                let ended = jobs.filter { idsByModel[model.id]?.contains($0.publicID) == true }
                #expect(counters.generationsCompleted[model.route] == ended.count, "\(model.id): \(counters.generationsCompleted)")
                let input = ended.reduce(0) { $0 + ($1.usage?.inputTokens ?? 0) }
                let output = ended.reduce(0) { $0 + ($1.usage?.outputTokens ?? 0) }
                let cut = try await Self.cutTokens(harness.fixture, model: model.id)
                #expect(input > 0 && input == (counters.answeredInputTokensByRoute[model.route] ?? 0) + cut.input, "\(model.id) input")
                #expect(output > 0 && output == (counters.answeredOutputTokensByRoute[model.route] ?? 0) + cut.output, "\(model.id) output")
            }

            // Every cut the simulator made is one interrupted attempt of a job on that route, and
            // nothing else cost a stream. A cut stream keeps the tokens it had consumed: its
            // partial output, and its input where the stream says it up front (Anthropic's
            // message_start; Chat Completions reports usage only in its last chunk).
            let cuts = counters.faultsByKind[.streamCut, default: 0]
            #expect(cuts > 0, "no stream was cut: the fault did not fire")
            #expect(try await harness.fixture.count("SELECT count(*) FROM attempts WHERE outcome = 'interrupted'") == cuts)
            for model in Self.models {
                let routeCuts =
                    counters.generationsStarted[model.route, default: 0] - counters.generationsCompleted[model.route, default: 0]
                let interrupted = """
                    SELECT count(*) FROM attempts a JOIN jobs j ON j.id = a.job_id
                    WHERE a.outcome = 'interrupted' AND a.error_code = 'stream_interrupted' AND j.model = '\(model.id)'
                    """
                #expect(try await harness.fixture.count(interrupted) == routeCuts, "\(model.id)")
                #expect(try await harness.fixture.count(interrupted + " AND a.output_tokens > 0") == routeCuts, "\(model.id) output")
                if model.route != .chatCompletions {
                    #expect(try await harness.fixture.count(interrupted + " AND a.input_tokens > 0") == routeCuts, "\(model.id) input")
                }
            }
            #expect(counters.generationsInFlight == 0)
        }
    }

    @Test("a project's own entry routes gpt-oss through Chat Completions: held streams, no background Response")
    func anEntryChoosesTheAPI() async throws {
        try await PipelineHarness.with("held_entry", simulator: .quick, workers: HeldStreamTests.workers) { harness in
            let project = try await harness.project("entries")
            let model = "openai.gpt-oss-120b"
            try await ModelLimitStore(pool: harness.fixture.pool).set(
                projectID: project.id, ModelLimitOverride(model: model, contextWindow: 131_072, api: .chatCompletions))
            var limits = JobLimits()
            limits.modelLimitOverrides = try await ModelLimitStore(pool: harness.fixture.pool).overrides(projectID: project.id)
            let requests = try (0..<5).map { index in
                try JobRequest(document: "Report \(index). The harbour has two piers.", model: model, maxOutputTokens: 200)
                    .validated(defaultModel: model, limits: limits, checkModel: { _ in nil })
            }
            let ids = try await harness.fixture.store.enqueue(requests, project: project).map(\.publicID)
            let jobs = try await harness.waitForTerminal(ids)
            #expect(jobs.allSatisfy { $0.state == .completed && $0.outputText?.isEmpty == false })
            let counters = harness.simulator.counters()
            #expect(counters.generationsCompleted[.chatCompletions] == 5, "\(counters.generationsCompleted)")
            #expect(counters.generationsCompleted[.createResponse, default: 0] == 0)
        }
    }

    /// The tokens the interrupted attempts of `model`'s jobs had used.
    static func cutTokens(_ fixture: StoreFixture, model: String) async throws -> (input: Int, output: Int) {
        let cut = "FROM attempts a JOIN jobs j ON j.id = a.job_id WHERE a.outcome = 'interrupted' AND j.model = '\(model)'"
        return (
            try await fixture.count("SELECT coalesce(sum(a.input_tokens), 0) " + cut),
            try await fixture.count("SELECT coalesce(sum(a.output_tokens), 0) " + cut)
        )
    }
}
