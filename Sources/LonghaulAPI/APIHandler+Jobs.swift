import Foundation
import LonghaulCore
import Mantle
import ServiceContextModule
import Telemetry

/// `/v1/jobs`: enqueue, read, list, cancel, retry.
extension APIHandler {
    /// The generated route's operation; `FastRoute` serves the common requests without it
    /// and calls it for the rest.
    func createJob(_ input: Operations.CreateJob.Input) async throws -> Operations.CreateJob.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid(nil, "send the job as JSON") }
        let stored = try await enqueueJob(body, idempotencyKey: input.headers.idempotencyKey)
        let job = Components.Schemas.Job(stored.detail)
        return stored.created ? .accepted(.init(body: .json(job))) : .ok(.init(body: .json(job)))
    }

    /// Validates and enqueues one job: the job as stored, and whether this request created it
    /// (false when its idempotency key matched an earlier request).
    func enqueueJob(_ body: Components.Schemas.JobCreate, idempotencyKey: String?) async throws -> EnqueueGroupCommit.Stored {
        let project = try await actingProject(named: body.project)
        let request = JobRequest(body, idempotencyKey: idempotencyKey)
        var validated = try request.validated(
            defaultModel: project.defaultModel, limits: try await jobLimits(for: project), checkModel: MantleModel.jobModelCheck)
        validated.traceContext = ServiceContext.current?.traceParent?.description
        return try await enqueues.enqueue(EnqueueRequest(job: validated, project: project))
    }

    func getJob(_ input: Operations.GetJob.Input) async throws -> Operations.GetJob.Output {
        let projectID = try RequestPrincipal.required().projectID
        return .ok(.init(body: .json(.init(try await jobs.job(publicID: input.path.jobId, projectID: projectID)))))
    }

    func listJobs(_ input: Operations.ListJobs.Input) async throws -> Operations.ListJobs.Output {
        let query = input.query
        let filter = JobFilter(
            projectID: try await visibleProjectID(named: query.project),
            state: query.state.flatMap { JobState(rawValue: $0.rawValue) }, batchPublicID: query.batch,
            createdAfter: query.createdAfter, createdBefore: query.createdBefore,
            metadataKey: query.metadataKey, metadataValue: query.metadataValue)
        let page = try await jobs.listJobs(filter, limit: query.limit ?? 100, cursor: query.cursor)
        return .ok(.init(body: .json(.init(page))))
    }

    func cancelJob(_ input: Operations.CancelJob.Input) async throws -> Operations.CancelJob.Output {
        let projectID = try RequestPrincipal.required().projectID
        let id = input.path.jobId
        let outcome = try await jobs.cancel(publicID: id, projectID: projectID)
        let job = Components.Schemas.Job(try await jobs.job(publicID: id, projectID: projectID))
        switch outcome {
        case .cancelled, .alreadyFinished(.cancelled):
            return .ok(.init(body: .json(job)))
        case .cancelRequested:
            return .accepted(.init(body: .json(job)))
        case .alreadyFinished(let state):
            throw APIError(.conflict, code: "already_finished", "job \(id) already ended \(state.rawValue); there is nothing to cancel")
        }
    }

    func retryJob(_ input: Operations.RetryJob.Input) async throws -> Operations.RetryJob.Output {
        let projectID = try RequestPrincipal.required().projectID
        let id = input.path.jobId
        try await jobs.retry(publicID: id, projectID: projectID)
        return .accepted(.init(body: .json(.init(try await jobs.job(publicID: id, projectID: projectID)))))
    }
}
