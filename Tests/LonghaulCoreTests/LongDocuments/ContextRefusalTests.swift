import Foundation
import LonghaulCore
import Testing

/// Refusals for length, as Mantle's OpenAI-compatible routes and Anthropic's Messages word them,
/// and what an `auto` or `single` job does after one.
@Suite struct ContextRefusalTests {
    @Test(arguments: [
        (
            AttemptError(
                httpStatus: 400, code: "context_length_exceeded",
                message: "This model's maximum context length is 131072 tokens. However, your messages resulted in 140210 tokens. "
                    + "Please reduce the length of the messages."), 140_210, 131_072
        ),
        (
            AttemptError(
                httpStatus: 400, code: "context_length_exceeded",
                message: "This model's maximum context length is 2621 tokens. However, you requested 2900 tokens (2500 in the messages, "
                    + "400 in the completion). Please reduce the length of the messages or completion."), 2_500, 2_621
        ),
        (
            AttemptError(httpStatus: 400, code: "invalid_request_error", message: "prompt is too long: 208,311 tokens > 200,000 maximum"),
            208_311, 200_000
        ),
        (
            AttemptError(
                httpStatus: 400, code: "invalid_request_error",
                message:
                    "input length and `max_tokens` exceed context limit: 3900 + 400 > 4000, decrease input length or `max_tokens` and try again"
            ),
            3_900, 4_000
        ),
        (
            AttemptError(
                httpStatus: 400, code: "ValidationException",
                message: "The model returned the following errors: prompt is too long: 200049 tokens > 200000 maximum"),
            200_049, 200_000
        ),
    ])
    func figuresAreRead(error: AttemptError, inputTokens: Int, window: Int) throws {
        let refusal = try #require(ContextRefusal(error))
        #expect(refusal.inputTokens == inputTokens)
        #expect(refusal.contextWindow == window)
    }

    @Test func bedrockRuntimesRefusalWithoutFiguresIsStillForLength() throws {
        let refusal = try #require(
            ContextRefusal(AttemptError(code: "validationException", message: "Input is too long for requested model.")))
        #expect(refusal == ContextRefusal(inputTokens: nil, contextWindow: nil))
    }

    @Test("a refusal without figures still cuts smaller: the model counted more than the window left for input")
    func aRefusalWithoutFiguresSplitsOnTheLeastCountItImplies() {
        // The job's one call: 3,000 estimated tokens, 400 of output, in a window of 4,000 × 2 %…
        // which Longhaul's table says is 8,000: the model refused without saying by how much.
        var settings = MapReduceSettings(
            strategy: .auto, contextWindowScale: 0.04, refusal: ContextRefusal(inputTokens: nil, contextWindow: nil), refusedEstimate: 3_000)
        settings = MapReduceSettings(params: settings.params)
        #expect(settings.refusal != nil, "the refusal survives the job's params without figures")
        let calibration = settings.calibration(.uncalibrated, for: "m", refusedModel: "m", leastRefusedCount: 7_601)
        #expect(abs(calibration.factor - Double(7_601 - ContextBudget.templateTokens) / 3_000) < 1e-9)
        #expect(calibration.margin == ContextBudget.estimateMargin)
        #expect(settings.calibration(.uncalibrated, for: "map", refusedModel: "m", leastRefusedCount: 7_601) == .uncalibrated)
    }

    @Test func otherRefusalsAreNotForLength() {
        #expect(ContextRefusal(AttemptError(httpStatus: 400, code: "invalid_request_error", message: "max_tokens: Field required")) == nil)
        #expect(ContextRefusal(AttemptError(httpStatus: 400, code: "validation_error", message: "The model 'x' does not exist")) == nil)
    }

    static func job(strategy: SummaryStrategy) -> ClaimedJob {
        ClaimedJob(
            id: 7, publicID: "job_7", projectID: 1, attempt: 1, maxAttempts: 3, model: "openai.gpt-oss-120b", maxOutputTokens: 400,
            estimatedInputTokens: 2_400, reasoningEffort: nil, metadata: [:], document: "…", instructions: nil, strategy: strategy)
    }

    static let refused = RemoteCallError.permanent(
        AttemptError(
            httpStatus: 400, code: "context_length_exceeded",
            message: "This model's maximum context length is 2621 tokens. However, your messages resulted in 3012 tokens. "
                + "Please reduce the length of the messages."))

    @Test func anAutoJobRefusedForLengthIsSplitWithTheStatedFigures() {
        let outcome = JobLifecycle.afterCreate(
            Self.job(strategy: .auto), .failure(Self.refused), retry: RetryPolicy(), polls: PollSchedule(), startedAt: Date())
        guard case .split(7, 1, let refusal, let error, _) = outcome else {
            Issue.record("expected a split, got \(outcome)")
            return
        }
        #expect(refusal == ContextRefusal(inputTokens: 3_012, contextWindow: 2_621))
        #expect(error.code == "context_length_exceeded")
    }

    @Test func aSingleJobRefusedForLengthFailsWithTheNumbers() {
        let outcome = JobLifecycle.afterCreate(
            Self.job(strategy: .single), .failure(Self.refused), retry: RetryPolicy(), polls: PollSchedule(), startedAt: Date())
        guard case .fail(7, 1, let error, _) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(error.code == "context_length_exceeded")
        #expect(error.message.contains("2621") && error.message.contains("3012") && error.message.contains("strategy single"))
    }
}
