import Foundation
import LonghaulCore
import MantleSimulator
import TestSupport
import Testing
import Workers

@Suite("Streamed background Responses: the end seen at once, polling whenever the stream fails")
struct BackgroundStreamTests {
    /// Responses of 1–2 s, long enough that a stream is held, short enough for a test.
    static var simulator: MantleSimulatorConfiguration {
        var configuration = MantleSimulatorConfiguration(speed: 1, seed: 11)
        configuration.minimumDurationSeconds = 1
        configuration.maximumDurationSeconds = 2
        configuration.secondsPerThousandInputTokens = 0
        return configuration
    }

    /// Each job ran one attempt, created one Response, and ended with its text and usage.
    static func expectCompletedOnce(_ jobs: [JobDetail], harness: PipelineHarness) async throws {
        #expect(jobs.allSatisfy { $0.state == .completed && $0.attempt == 1 })
        #expect(jobs.allSatisfy { ($0.usage?.outputTokens ?? 0) > 0 && $0.outputText?.isEmpty == false })
        let counters = harness.simulator.counters()
        #expect(counters.createsByJob.count == jobs.count)
        #expect(counters.createsByJob.values.allSatisfy { $0.values.allSatisfy { $0 == 1 } })
        #expect(try await harness.fixture.count("SELECT count(*) FROM attempts") == jobs.count)
        #expect(
            try await harness.fixture.count(
                "SELECT count(*) FROM results WHERE response->>'status' = 'completed' AND (response->'usage'->>'output_tokens')::int > 0")
                == jobs.count)
    }

    @Test("streamed jobs complete from their terminal event, with at most 2 retrieves each")
    func streamed() async throws {
        try await PipelineHarness.with("bgstream", simulator: Self.simulator) { harness in
            let project = try await harness.project("team")
            let jobs = try await harness.waitForTerminal(try await harness.fixture.enqueue(20, into: project).map(\.publicID))
            try await Self.expectCompletedOnce(jobs, harness: harness)
            let retrieves = harness.simulator.counters().requestsByRoute[.retrieveResponse] ?? 0
            #expect(retrieves <= 2 * jobs.count, "\(retrieves) retrieves for \(jobs.count) streamed jobs")
        }
    }

    @Test("a cut stream that cannot resume falls back to polling and completes exactly once")
    func cutFallsBackToPolling() async throws {
        var simulator = Self.simulator
        simulator.createFaults.streamCut = 1
        simulator.resumesStreams = false
        try await PipelineHarness.with("bgstreamcut", simulator: simulator) { harness in
            let project = try await harness.project("team")
            let jobs = try await harness.waitForTerminal(try await harness.fixture.enqueue(10, into: project).map(\.publicID))
            try await Self.expectCompletedOnce(jobs, harness: harness)
            let counters = harness.simulator.counters()
            #expect(counters.faultsByKind[.streamCut] == 10)
            // Every job was polled to its end: one refused resume and at least one retrieve each.
            #expect((counters.requestsByRoute[.retrieveResponse] ?? 0) >= 11)
            #expect(try await harness.fixture.count("SELECT count(*) FROM jobs WHERE poll_count > 0") == 10)
        }
    }

    @Test("a cut stream resumes after its last event and completes from the resumed stream")
    func cutResumes() async throws {
        var simulator = Self.simulator
        simulator.createFaults.streamCut = 1
        try await PipelineHarness.with("bgstreamresume", simulator: simulator) { harness in
            let project = try await harness.project("team")
            let jobs = try await harness.waitForTerminal(try await harness.fixture.enqueue(10, into: project).map(\.publicID))
            try await Self.expectCompletedOnce(jobs, harness: harness)
            // One resume each, no plain poll: the resumed stream brought the end.
            #expect(harness.simulator.counters().requestsByRoute[.retrieveResponse] == 10)
            #expect(try await harness.fixture.count("SELECT count(*) FROM jobs WHERE poll_count > 0") == 0)
        }
    }

    @Test("an endpoint that refuses background+stream for a model: created plainly, polled, refusal remembered")
    func refusalFallsBack() async throws {
        var simulator = Self.simulator
        simulator.backgroundStreamRefusedModels = ["openai.gpt-oss-120b"]
        try await PipelineHarness.with("bgstreamrefused", simulator: simulator) { harness in
            let project = try await harness.project("team")
            let first = try await harness.waitForTerminal(try await harness.fixture.enqueue(1, into: project).map(\.publicID))
            let rest = try await harness.waitForTerminal(try await harness.fixture.enqueue(10, into: project).map(\.publicID))
            try await Self.expectCompletedOnce(first + rest, harness: harness)
            // The refused streamed create, then one plain create per job: the refusal is remembered;
            // each job's end was seen by a retrieve (at least one each), none by a stream.
            let counters = harness.simulator.counters()
            #expect(counters.requestsByRoute[.createResponse] == 12)
            #expect((counters.requestsByRoute[.retrieveResponse] ?? 0) >= 11)
        }
    }
}
