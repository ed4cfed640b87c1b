import Foundation
import LonghaulCore
import MantleSimulator
import TestSupport
import Testing
import Workers

/// Jobs whose model has no background mode, held as streams by the real worker loops against a
/// local server replaying recorded streams (until the simulator serves these routes): every job
/// ends exactly once with the stream's usage; cut streams are retried as new attempts and their
/// tokens recorded; a cancel closes the stream.
@Suite("Held streams through the worker loops")
struct HeldStreamTests {
    static var workers: WorkerConfiguration {
        var configuration = WorkerConfiguration.fast
        configuration.checkpointInterval = .milliseconds(100)
        return configuration
    }

    @Test(
        "every fourth stream is cut: every job ends once, with the stream's usage plus its cut attempts'; each cut is an interrupted attempt",
        arguments: [
            ("qwen.qwen3-32b", RecordedStreams.Kind.chat), ("anthropic.claude-opus-4-7", .anthropic),
            ("us.anthropic.claude-sonnet-4-6", .bedrock),
        ] as [(String, RecordedStreams.Kind)])
    func cutStreamsAreRetried(_ model: String, _ kind: RecordedStreams.Kind) async throws {
        let body = kind.data
        let replay = StreamReplayServer.Replay(
            contentType: kind == .bedrock ? "application/vnd.amazon.eventstream" : "text/event-stream", body: body,
            cutAfter: body.count / 2, cutEvery: 4)
        try await StreamReplayServer.withRunning(replay) { baseURL, received in
            try await PipelineHarness.with("held_\(kind)", simulator: .quick, workers: Self.workers) { harness in
                let project = try await harness.fixture.projects.create(NewProject(slug: "streams", baseURL: baseURL, maxAttempts: 5))
                let requests = try (0..<12).map { index in
                    try harness.fixture.validated(JobRequest(document: "Document \(index).", model: model, maxOutputTokens: 200))
                }
                let ids = try await harness.fixture.store.enqueue(requests, project: project).map(\.publicID)
                let jobs = try await harness.waitForTerminal(ids)
                let expected =
                    kind == .chat
                    ? (JobState.completed, Usage(inputTokens: 120, cachedTokens: 100, outputTokens: 3))
                    : (JobState.incomplete, Usage(inputTokens: 1070, cachedTokens: 1000, outputTokens: 7))
                #expect(jobs.allSatisfy { $0.state == expected.0 }, "\(jobs.map(\.state))")
                // A job's usage is its stream's plus what its cut attempts had used.
                for job in jobs {
                    let cut = "FROM attempts WHERE outcome = 'interrupted' AND job_id = \(job.id)"
                    let cutInput = try await harness.fixture.count("SELECT coalesce(sum(input_tokens), 0) " + cut)
                    let cutOutput = try await harness.fixture.count("SELECT coalesce(sum(output_tokens), 0) " + cut)
                    #expect(job.usage?.inputTokens == expected.1.inputTokens + cutInput, "\(job.publicID)")
                    #expect(job.usage?.outputTokens == expected.1.outputTokens + cutOutput, "\(job.publicID)")
                }
                #expect(jobs.contains { $0.usage == expected.1 }, "a job never cut has exactly its stream's usage")
                #expect(jobs.allSatisfy { $0.outputText == (kind == .chat ? "Hello, world" : "Bonjour le monde") })
                #expect(kind == .chat || jobs.allSatisfy { $0.incompleteReason == "max_output_tokens" })
                let requestCount = received().count
                let cuts = requestCount / 4
                #expect(requestCount == 12 + cuts, "each cut costs one more request")
                #expect(try await harness.fixture.count("SELECT count(*) FROM attempts WHERE outcome = 'interrupted'") == cuts)
                #expect(try await harness.fixture.count("SELECT count(*) FROM results") == 12, "one result per job")
                #expect(
                    try await harness.fixture.count(
                        "SELECT count(*) FROM attempts WHERE outcome = 'interrupted' AND input_tokens IS NOT NULL") == cuts)
                let paths = Set(received().map(\.path))
                #expect(paths.count == 1)
            }
        }
    }

    @Test("cancelling a job whose stream is held closes the stream and ends the job cancelled with the usage so far")
    func cancelClosesTheStream() async throws {
        let body = RecordedStreams.Kind.anthropic.data
        let replay = StreamReplayServer.Replay(body: body, cutAfter: body.count * 3 / 4, stallAfterCut: true)
        try await StreamReplayServer.withRunning(replay) { baseURL, _ in
            try await PipelineHarness.with("held_cancel", simulator: .quick, workers: Self.workers) { harness in
                let project = try await harness.fixture.projects.create(NewProject(slug: "streams", baseURL: baseURL))
                let jobs = try await harness.fixture.store.enqueue(
                    [harness.fixture.validated(JobRequest(document: "Long.", model: "anthropic.claude-opus-4-7", maxOutputTokens: 200))],
                    project: project)
                // The checkpoint shows the text so far while the stream is held.
                let deadline = ContinuousClock.now + .seconds(20)
                while try await harness.fixture.count("SELECT count(*) FROM jobs WHERE partial_text = 'Bonjour le monde'") == 0
                    && ContinuousClock.now < deadline
                {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(try await harness.fixture.store.cancel(publicID: jobs[0].publicID, projectID: project.id) == .cancelRequested)
                let ended = try await harness.waitForTerminal(jobs.map(\.publicID), timeout: .seconds(20))
                #expect(ended[0].state == .cancelled)
                #expect(ended[0].usage?.inputTokens == 1070)
                #expect(ended[0].outputText == "Bonjour le monde")
            }
        }
    }
}

extension HeldStreamTests {
    @Test("held streams have slots of their own and show running: creates go on while 3 streams are held")
    func heldStreamsHaveTheirOwnSlots() async throws {
        let body = RecordedStreams.Kind.anthropic.data
        let replay = StreamReplayServer.Replay(body: body, cutAfter: body.count * 3 / 4, stallAfterCut: true)
        let workers = {
            var configuration = Self.workers
            configuration.submitConcurrency = 1
            configuration.streamConcurrency = 3
            return configuration
        }()
        try await StreamReplayServer.withRunning(replay) { baseURL, _ in
            try await PipelineHarness.with("held_slots", simulator: .quick, workers: workers) { harness in
                let streams = try await harness.fixture.projects.create(NewProject(slug: "streams", baseURL: baseURL))
                let held = try await harness.fixture.store.enqueue(
                    (0..<3).map { index in
                        try harness.fixture.validated(
                            JobRequest(document: "Long \(index).", model: "anthropic.claude-opus-4-7", maxOutputTokens: 200))
                    }, project: streams
                ).map(\.publicID)
                // Each stalls after its text: held, and shown running with the text so far.
                let showing = """
                    SELECT count(*) FROM jobs WHERE held AND state = 'running' AND remote_status = 'in_progress'
                      AND partial_text = 'Bonjour le monde' AND response_id IS NULL
                    """
                let deadline = ContinuousClock.now + .seconds(60)  // 3 s alone; more than 20 s once in a full run on 2 cores
                while try await harness.fixture.count(showing) < 3 && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(try await harness.fixture.count(showing) == 3)
                let detail = try await harness.fixture.store.job(publicID: held[0], projectID: nil)
                #expect(detail.state == .running)

                // A fourth waits for a stream slot, while Responses jobs take the one create slot in turn.
                let fourth = try await harness.fixture.store.enqueue(
                    [harness.fixture.validated(JobRequest(document: "Later.", model: "anthropic.claude-opus-4-7", maxOutputTokens: 200))],
                    project: streams)
                let responses = try await harness.project("responses")
                let created = try await harness.fixture.store.enqueue(
                    (0..<5).map { index in
                        try harness.fixture.validated(
                            JobRequest(document: "Short \(index).", model: "openai.gpt-oss-120b", maxOutputTokens: 100))
                    }, project: responses
                ).map(\.publicID)
                let finished = try await harness.waitForTerminal(created, timeout: .seconds(30))
                #expect(finished.allSatisfy { $0.state == .completed }, "\(finished.map(\.state))")
                #expect(try await harness.fixture.store.job(publicID: fourth[0].publicID, projectID: nil).state == .queued)
                #expect(try await harness.fixture.count("SELECT count(*) FROM jobs WHERE held AND state = 'running'") == 3)

                for id in held + [fourth[0].publicID] {
                    _ = try await harness.fixture.store.cancel(publicID: id, projectID: streams.id)
                }
                let ended = try await harness.waitForTerminal(held + [fourth[0].publicID], timeout: .seconds(20))
                #expect(ended.allSatisfy { $0.state == .cancelled }, "\(ended.map(\.state))")
            }
        }
    }
}

extension RecordedStreams {
    enum Kind: String, Sendable, CustomStringConvertible {
        case chat, anthropic, bedrock

        var data: Data {
            switch self {
            case .chat: Data(RecordedStreams.chat.utf8)
            case .anthropic: Data(RecordedStreams.anthropic.utf8)
            case .bedrock: RecordedStreams.bedrock
            }
        }

        var description: String { rawValue }
    }
}
