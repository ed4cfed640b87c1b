public import Foundation
public import Mantle

extension JobLifecycle {
    /// What to do once a worker stopped holding the stream of `poll`'s background Response.
    ///
    /// The stream is an optimisation, never the truth: its terminal event
    /// (`response.completed`/`failed`/`incomplete`, with the whole Response and its usage) is a
    /// look like any poll's, decided as `afterPoll` decides one — stored, or resubmitted when the
    /// failure is transient. Any other stop (cut, idle, refused resume, the worker stopping, the
    /// user's cancel) hands the Response to the Poller at once, which looks (or sends the cancel).
    public static func afterBackgroundStream(
        _ poll: ClaimedPoll, _ state: StreamedResponse, retry: RetryPolicy, polls: PollSchedule, now: Date, expected: ExpectedEnd? = nil
    ) -> PollOutcome {
        if case .finished(let response) = state.ending {
            return afterPoll(poll, .success(MantleGateway.snapshot(response)), retry: retry, polls: polls, now: now, expected: expected)
        }
        return .stillRunning(jobID: poll.id, remoteStatus: state.status?.rawValue ?? "in_progress", nextPollIn: .zero)
    }
}

extension ClaimedPoll {
    /// The poll claim a worker holds on `job` while it holds its Response's stream.
    public init(streaming job: ClaimedJob, responseID: String, submittedAt: Date) {
        self.init(
            id: job.id, publicID: job.publicID, projectID: job.projectID, attempt: job.attempt, maxAttempts: job.maxAttempts,
            responseID: responseID, model: job.model, submittedAt: submittedAt, cancelRequested: false,
            estimatedInputTokens: job.estimatedInputTokens, maxOutputTokens: job.maxOutputTokens)
        traceContext = job.traceContext
    }
}
