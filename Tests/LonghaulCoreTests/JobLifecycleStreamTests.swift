import Foundation
import LonghaulCore
import Mantle
import Testing

/// A held stream's end → the job's outcome, from recorded streams decoded as the worker decodes them.
@Suite struct JobLifecycleStreamTests {
    static let started = Date(timeIntervalSince1970: 1_800_000_000)

    func outcome(
        _ stream: String, wire: GenerationWire = .anthropicEvents, cut: Bool = false, attempt: Int = 1, cancelRequested: Bool = false
    )
        -> SubmissionOutcome
    {
        var decoder = GenerationStreamDecoder(wire: wire)
        decoder.consume(Data(stream.utf8))
        if cut { decoder.end(failure: "HTTP request failed (connectionReset)") } else { decoder.end() }
        return JobLifecycle.afterStream(
            JobLifecycleTests.job(attempt: attempt), .success(decoder.generation), cancelRequested: cancelRequested,
            retry: JobLifecycleTests.retry, startedAt: Self.started)
    }

    static func anthropic(stop: String) -> String {
        """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":40,"cache_read_input_tokens":10,"output_tokens":1}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Done."}}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"\(stop)"},"usage":{"output_tokens":9}}

        event: message_stop
        data: {"type":"message_stop"}


        """
    }

    @Test(
        arguments: [
            ("end_turn", JobState.completed, nil), ("stop_sequence", .completed, nil), ("max_tokens", .incomplete, "max_output_tokens"),
            ("refusal", .incomplete, "refusal"),
        ] as [(String, JobState, String?)])
    func aFinishedStreamEndsTheJob(_ stop: String, _ state: JobState, _ reason: String?) {
        guard case .finished(_, _, let result, _) = outcome(Self.anthropic(stop: stop)) else {
            Issue.record("expected the end")
            return
        }
        #expect(result.state == state)
        #expect(result.incompleteReason == reason)
        #expect(result.outputText == "Done.")
        #expect(result.usage == Usage(inputTokens: 50, cachedTokens: 10, outputTokens: 9))
    }

    @Test(
        arguments: [
            ("stop", JobState.completed, nil), ("length", .incomplete, "max_output_tokens"),
            ("content_filter", .incomplete, "content_filter"),
        ]
            as [(String, JobState, String?)])
    func chatFinishReasons(_ finish: String, _ state: JobState, _ reason: String?) {
        let stream = """
            data: {"id":"c","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"\(finish)"}]}

            data: {"id":"c","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}

            data: [DONE]


            """
        guard case .finished(_, _, let result, _) = outcome(stream, wire: .chatCompletions) else {
            Issue.record("expected the end")
            return
        }
        #expect(result.state == state)
        #expect(result.incompleteReason == reason)
    }

    /// Cut before `message_stop`: the attempt is spent with the usage so far and the job runs again.
    @Test func aCutStreamIsRetriedWithItsPartialUsage() {
        let cut = Self.anthropic(stop: "end_turn").components(separatedBy: "event: message_delta")[0]
        guard case .interrupted(_, let attempt, let retryIn?, let error, let usage, let estimated, _) = outcome(cut, cut: true) else {
            Issue.record("expected a retry")
            return
        }
        #expect(attempt == 1)
        #expect(retryIn > .zero)
        #expect(error.code == "stream_interrupted")
        #expect(usage.inputTokens == 50)
        #expect(!estimated, "message_start said the input")
        #expect(usage.outputTokens == 1, "one text delta, counted until the stream reports its usage")
    }

    /// Chat Completions says its usage in the last chunk: a stream cut before it records the
    /// input from the enqueue estimate, marked estimated, and the output counted from the deltas.
    @Test func aCutChatStreamRecordsItsEstimatedInput() {
        let cut = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Half\"}}]}\n\n"
        guard case .interrupted(_, _, _?, _, let usage, let estimated, _) = outcome(cut, wire: .chatCompletions, cut: true) else {
            Issue.record("expected a retry")
            return
        }
        #expect(estimated)
        #expect(usage.inputTokens == JobLifecycleTests.job(attempt: 1).estimatedInputTokens)
        #expect(usage.inputTokens > 0)
        #expect(usage.outputTokens == 1)
    }

    @Test func aCutOnTheLastAttemptFailsTheJob() {
        let cut = Self.anthropic(stop: "end_turn").components(separatedBy: "event: message_delta")[0]
        guard case .interrupted(_, _, nil, let error, _, _, _) = outcome(cut, cut: true, attempt: 3) else {
            Issue.record("expected the end of the attempts")
            return
        }
        #expect(error.message.contains("gave up after 3 attempts"))
    }

    @Test func overloadedInsideTheStreamIsRetried() {
        let text = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"
        guard case .interrupted(_, _, _?, let error, _, _, _) = outcome(text) else {
            Issue.record("expected a retry")
            return
        }
        #expect(error.code == "overloaded_error")
    }

    @Test func aUsersCancelEndsTheJobCancelledWithTheUsageSoFar() {
        var decoder = GenerationStreamDecoder(wire: .anthropicEvents)
        decoder.consume(Data(Self.anthropic(stop: "end_turn").components(separatedBy: "event: message_delta")[0].utf8))
        decoder.cancel()
        let result = JobLifecycle.afterStream(
            JobLifecycleTests.job(attempt: 1), .success(decoder.generation), cancelRequested: true, retry: JobLifecycleTests.retry,
            startedAt: Self.started)
        guard case .finished(_, _, let remote, _) = result else {
            Issue.record("expected the end")
            return
        }
        #expect(remote.state == .cancelled)
        #expect(remote.usage?.inputTokens == 50)
    }

    @Test("a refusal for length inside the stream, before any output, is a refused create: auto splits, single fails")
    func aLengthRefusalInsideTheStream() {
        var generation = StreamedGeneration()
        generation.fail(type: "validationException", message: "Input is too long for requested model.")
        var job = JobLifecycleTests.job(attempt: 1)
        job.strategy = .auto
        let split = JobLifecycle.afterStream(
            job, .success(generation), cancelRequested: false, retry: JobLifecycleTests.retry, startedAt: Self.started)
        guard case .split(_, 1, let refusal, let error, _) = split else {
            Issue.record("expected a split, got \(split)")
            return
        }
        #expect(refusal == ContextRefusal(inputTokens: nil, contextWindow: nil))
        #expect(error.code == "validationException")
        job.strategy = .single
        let failed = JobLifecycle.afterStream(
            job, .success(generation), cancelRequested: false, retry: JobLifecycleTests.retry, startedAt: Self.started)
        guard case .fail(_, 1, let refused, _) = failed else {
            Issue.record("expected a failure, got \(failed)")
            return
        }
        #expect(refused.message.contains("Input is too long for requested model.") && refused.message.contains("strategy single"))
    }

    @Test func aRefusalBeforeTheStreamIsDecidedLikeARefusedCreate() {
        let refused = RemoteCallError.permanent(
            AttemptError(httpStatus: 400, code: "invalid_request_error", message: "prompt is too long: 210000 tokens > 200000 maximum"))
        // A `single` job fails with it; an `auto` one is split (ContextRefusalTests).
        var job = JobLifecycleTests.job(attempt: 1)
        job.strategy = .single
        let result = JobLifecycle.afterStream(
            job, .failure(refused), cancelRequested: false, retry: JobLifecycleTests.retry, startedAt: Self.started)
        guard case .fail(_, _, let error, _) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.message.contains("prompt is too long"))
    }
}
