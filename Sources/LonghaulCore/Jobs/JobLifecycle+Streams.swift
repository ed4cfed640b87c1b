public import Foundation
public import Mantle

extension JobLifecycle {
    /// Error types an API reports inside a stream (or as its refusal) that a new attempt can cure:
    /// Anthropic's `overloaded_error` (529), `rate_limit_error`, `api_error`, and bedrock-runtime's
    /// event-stream exceptions for the same conditions.
    public static let transientStreamErrors: Set<String> = [
        "overloaded_error", "rate_limit_error", "api_error", "server_error", "rate_limit_exceeded", "throttlingException",
        "serviceUnavailableException", "internalServerException", "modelStreamErrorException", "modelTimeoutException",
    ]

    /// What to do after the held stream of `job`'s attempt ended (or was refused before it began).
    ///
    /// A stream has no background Response to poll, so its end is decided here at once, into the
    /// same outcomes a create and a poll produce:
    /// - a refusal before the stream began: as `afterCreate` decides a refused create;
    /// - the terminal event: `stop`/`end_turn`/`stop_sequence` → completed; `length`/`max_tokens`
    ///   → incomplete `max_output_tokens`; `content_filter` and `refusal` → incomplete with that reason;
    /// - an error event: retried as a new attempt when transient; a refusal for length before any
    ///   output, as a refused create (split when `auto`); else failed;
    /// - a cut (no terminal event, an idle connection, a damaged frame): `.interrupted`, the
    ///   attempt spent (its tokens were billed) and the job due again with backoff, within
    ///   `max_attempts`;
    /// - cancelled by the user (`cancelRequested`): cancelled with the text and usage so far;
    ///   cancelled because the worker stops: interrupted, like a cut.
    public static func afterStream(
        _ job: ClaimedJob, _ result: Result<StreamedGeneration, RemoteCallError>, cancelRequested: Bool, retry: RetryPolicy,
        startedAt: Date
    ) -> SubmissionOutcome {
        let generation: StreamedGeneration
        switch result {
        case .failure(let error):
            return afterCreate(job, .failure(error), retry: retry, polls: PollSchedule(), startedAt: startedAt)
        case .success(let value):
            generation = value
        }
        let usage = generation.jobUsage
        func finished(_ state: JobState, incomplete: String? = nil, code: String? = nil, message: String? = nil) -> SubmissionOutcome {
            .finished(
                jobID: job.id, attempt: job.attempt,
                RemoteResult(
                    state: state, remoteStatus: generation.stopReason ?? state.rawValue, outputText: generation.text, usage: usage,
                    incompleteReason: incomplete, errorCode: code, errorMessage: message),
                startedAt: startedAt)
        }
        // The input of an attempt cut before the stream said it was billed all the same: count it
        // from the enqueue estimate, marked as such, so that interrupted attempts do not look free.
        let inputEstimated = usage.inputTokens == 0 && job.estimatedInputTokens > 0
        var spent = usage
        if inputEstimated {
            spent.inputTokens = job.estimatedInputTokens
            spent.totalTokens = spent.inputTokens + spent.outputTokens
        }
        func again(_ error: AttemptError) -> SubmissionOutcome {
            guard let delay = retry.delay(afterAttempt: job.attempt, of: job.maxAttempts) else {
                return .interrupted(
                    jobID: job.id, attempt: job.attempt, retryIn: nil, error: error.withAttemptsExhausted(job.attempt), usage: spent,
                    inputEstimated: inputEstimated, startedAt: startedAt)
            }
            return .interrupted(
                jobID: job.id, attempt: job.attempt, retryIn: delay, error: error, usage: spent, inputEstimated: inputEstimated,
                startedAt: startedAt)
        }
        switch generation.ending {
        case .finished(let reason):
            switch reason {
            case "length", "max_tokens": return finished(.incomplete, incomplete: "max_output_tokens")
            case "content_filter", "refusal": return finished(.incomplete, incomplete: reason)
            default: return finished(.completed)
            }
        case .failed(let type, let message):
            let error = AttemptError(code: type, message: message.isEmpty ? "the stream reported \(type)" : message)
            if transientStreamErrors.contains(type) { return again(error) }
            // A refusal for length sent as the stream's only event (bedrock-runtime's
            // `validationException` "Input is too long for requested model.") is a refused
            // create: an `auto` job is split. It generated nothing.
            if ContextRefusal(error) != nil, usage.outputTokens == 0 { return afterRefusal(job, error, startedAt: startedAt) }
            return finished(.failed, code: type, message: message)
        case .cancelled where cancelRequested:
            return finished(.cancelled)
        case .cancelled:
            return again(AttemptError(code: AttemptError.streamCut, message: "the worker stopped while holding the stream"))
        case .interrupted(let detail):
            return again(AttemptError(code: AttemptError.streamCut, message: detail))
        case nil:
            return again(AttemptError(code: AttemptError.streamCut, message: "the stream ended without an end"))
        }
    }
}

extension StreamedGeneration {
    /// The usage in the queue's terms: input includes the cached input, as Responses counts it.
    public var jobUsage: Usage {
        Usage(
            inputTokens: usage.inputTokens, cachedTokens: usage.cachedInputTokens, outputTokens: usage.outputTokens,
            reasoningTokens: usage.reasoningTokens, totalTokens: usage.totalTokens)
    }
}
