import Foundation
import Logging
import LonghaulCore
import Mantle

/// Runs a claimed job whose model has no background mode as one held stream, under the job's
/// submission lease (the Submitter's heartbeat renews it): the text is checkpointed by
/// `StreamCheckpoints`, a user's cancel closes the stream, and `JobLifecycle.afterStream` turns
/// how the stream ended into the same outcomes a create and a poll produce, written by the
/// Submitter's batched writer with the creates.
struct HeldStreamRunner: Sendable {
    let gateway: any StreamGateway
    let checkpoints: StreamCheckpoints
    let retry: RetryPolicy
    let logger: Logger

    /// Holds `job`'s stream on `api` to its end.
    func hold(_ job: ClaimedJob, via api: GenerationAPI) async -> Reported<SubmissionOutcome> {
        let started = Date()
        let result: Result<StreamedGeneration, RemoteCallError>
        var cancelRequested = false
        do {
            let stream = try await gateway.stream(job, via: api)
            // A task of its own, awaited right below, so that a cancel the checkpointer sees can
            // close this one stream (cancelling it ends the body with `.cancelled`).
            let holding = Task { [checkpoints] in
                var last = StreamedGeneration()
                var written = 0
                for await generation in stream {
                    last = generation
                    if generation.text.utf8.count != written {
                        written = generation.text.utf8.count
                        checkpoints.update(jobID: job.id, text: generation.text, outputTokens: generation.usage.outputTokens)
                    }
                }
                return last
            }
            checkpoints.register(jobID: job.id, attempt: job.attempt) { holding.cancel() }
            checkpoints.started(jobID: job.id)
            let generation = await withTaskCancellationHandler {
                await holding.value
            } onCancel: {
                holding.cancel()
            }
            cancelRequested = checkpoints.unregister(jobID: job.id)
            result = .success(generation)
        } catch {
            result = .failure(error)
        }
        if case .success(let generation) = result, case .interrupted(let detail) = generation.ending {
            logger.info(
                "held stream interrupted; the job runs again as a new attempt",
                metadata: ["job.id": "\(job.publicID)", "attempt": "\(job.attempt)", "error": "\(detail)"])
        }
        return Reported(
            outcome: JobLifecycle.afterStream(job, result, cancelRequested: cancelRequested, retry: retry, startedAt: started),
            projectID: job.projectID, signal: EndpointSignal(result))
    }
}
