import Foundation
import LonghaulCore
import MantleSimulator
import Postgres
import TestSupport
import Testing
import Workers

/// Jobs Longhaul thought would fit, refused by the model for length: Longhaul plans with windows
/// scaled to 4 %, the simulator refuses past 2 % — as when the estimate runs low or the table's
/// window is larger than the model's — on the Responses API (gpt-oss), on Anthropic Messages
/// (Claude, a held stream), and on bedrock-runtime's stream, which refuses inside the stream
/// and states no figures ("Input is too long for requested model.").
@Suite("Refused for length: auto splits with Mantle's figures, single fails with them")
struct ContextRefusalSplitTests {
    static var limits: JobLimits {
        var limits = JobLimits()
        limits.contextWindowScale = 0.04
        return limits
    }

    static var workers: WorkerConfiguration {
        var configuration = WorkerConfiguration.fast
        configuration.checkpointInterval = .milliseconds(100)
        return configuration
    }

    /// About `tokens` estimated tokens of the map-reduce test book (ASCII: four bytes a token).
    static func document(tokens: Int) -> String {
        String(MapReduceTests.book(chapters: 20).prefix(tokens * 4))
    }

    static func enqueue(_ request: JobRequest, _ harness: PipelineHarness, into project: Project) async throws -> EnqueuedJob {
        let job = try request.validated(defaultModel: "openai.gpt-oss-120b", limits: limits, checkModel: { _ in nil })
        return try #require(try await harness.fixture.store.enqueue([job], project: project).first)
    }

    /// Models, the window the simulator's refusal states (2 % of the table's; nil: it states
    /// none), a document that fits 4 % of the window with Longhaul's margin but not 2 %, and
    /// the error code a `single` job fails with.
    static let cases: [(model: String, window: Int?, tokens: Int, code: String)] = [
        ("openai.gpt-oss-120b", 2_621, 3_000, "context_length_exceeded"),
        ("anthropic.claude-haiku-4-5", 4_000, 4_500, "invalid_request_error"),
        ("us.anthropic.claude-sonnet-4-6", nil, 4_500, "validationException"),
    ]

    @Test(
        "an auto job refused for length is split with the window and count stated, and completes with every call's usage", arguments: cases)
    func autoSplits(model: String, window: Int?, tokens: Int, code: String) async throws {
        try await PipelineHarness.with("refused_auto", simulator: MapReduceTests.simulator(), workers: Self.workers) { harness in
            let project = try await harness.project("team", maxInFlight: 10)
            let job = try await Self.enqueue(
                JobRequest(document: Self.document(tokens: tokens), model: model, maxOutputTokens: 400), harness, into: project)
            #expect(job.state == .queued, "Longhaul's own plan is one call")
            let ended = try await harness.waitForTerminal([job.publicID], timeout: .seconds(120))[0]
            #expect(ended.state == .completed, "\(ended.errorCode ?? ""): \(ended.errorMessage ?? "")")
            let split = try #require(ended.split)
            #expect(split.chunks >= 2)

            // The refusal is the job's one attempt, logged with Mantle's figures; they steered the cut.
            let refusal = try await harness.fixture.pool.query(
                """
                SELECT a.outcome, a.error_code, a.error_message, j.params->>'refused_context_window' AS window,
                       j.params->>'refused_input_tokens' AS counted, j.params->>'strategy' AS strategy
                FROM attempts a JOIN jobs j ON j.id = a.job_id WHERE j.public_id = \(job.publicID)
                """)
            #expect(refusal.count == 1)
            let row = try #require(refusal.first)
            #expect(try row.decode("outcome", as: String.self) == "split")
            #expect(try row.decode("window", as: String?.self) == window.map(String.init))
            if let window {
                #expect(try row.decode("counted", as: String?.self).flatMap(Int.init).map { $0 > window } == true)
            }
            #expect(try row.decode("strategy", as: String?.self) == "auto")

            // No child was refused: each ran once, and the job's usage is theirs summed (the
            // refusal billed nothing).
            let children = try await harness.fixture.pool.query(
                """
                SELECT c.state::text AS state, c.attempt, r.total_tokens FROM jobs c JOIN jobs p ON p.id = c.parent_id
                LEFT JOIN results r ON r.job_id = c.id WHERE p.public_id = \(job.publicID)
                """)
            #expect(
                try children.allSatisfy {
                    try $0.decode("state", as: String.self) == "completed" && $0.decode("attempt", as: Int.self) == 1
                })
            let sum = try children.reduce(0) { $0 + (try $1.decode("total_tokens", as: Int?.self) ?? 0) }
            #expect(sum > 0 && ended.usage?.totalTokens == sum)
            #expect(
                try await harness.fixture.count(
                    "SELECT count(*) FROM results r JOIN jobs j ON j.id = r.job_id WHERE j.public_id = '\(job.publicID)'") == 1)
        }
    }

    @Test("a single job refused for length fails with the window and the count", arguments: cases)
    func singleFails(model: String, window: Int?, tokens: Int, code: String) async throws {
        try await PipelineHarness.with("refused_single", simulator: MapReduceTests.simulator(), workers: Self.workers) { harness in
            let project = try await harness.project("team")
            let job = try await Self.enqueue(
                JobRequest(document: Self.document(tokens: tokens), model: model, maxOutputTokens: 400, strategy: .single), harness,
                into: project)
            let ended = try await harness.waitForTerminal([job.publicID])[0]
            #expect(ended.state == .failed)
            let message = ended.errorMessage ?? ""
            #expect(ended.errorCode == code)
            #expect(message.contains(window.map(String.init) ?? "Input is too long") && message.contains("strategy single"), "\(message)")
            #expect(ended.split == nil)
            #expect(try await harness.fixture.count("SELECT count(*) FROM jobs WHERE parent_id IS NOT NULL") == 0)
        }
    }
}
