import Foundation
import HTTPTypes
import LonghaulCore
import Mantle
import ServiceContextModule
import Telemetry

/// `/v1/batches`: many documents in one request, stored whole or not at all.
extension APIHandler {
    /// The generated route's operation; `FastRoute` serves the common requests without it.
    func createBatch(_ input: Operations.CreateBatch.Input) async throws -> Operations.CreateBatch.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid(nil, "send the batch as JSON") }
        switch try await submitBatch(body) {
        case .planned(let plan): return .ok(.init(body: .json(plan)))
        case .created(let created): return .accepted(.init(body: .json(created)))
        }
    }

    /// What a batch request gets: a dry run's plan, or the batch it created.
    enum BatchAnswer {
        case planned(Components.Schemas.Plan)
        case created(Components.Schemas.BatchCreated)
    }

    /// Validates a batch and enqueues it whole, or plans it for a dry run.
    func submitBatch(_ body: Components.Schemas.BatchCreate) async throws -> BatchAnswer {
        guard !body.documents.isEmpty else { throw APIError.invalid("documents", code: "empty", "send at least one document") }
        guard body.documents.count <= configuration.maxBatchDocuments else {
            throw APIError.invalid(
                "documents", code: "too_many",
                "\(body.documents.count) documents; one request takes at most \(configuration.maxBatchDocuments) — split the batch")
        }
        let project = try await actingProject(named: body.project)
        let validated = try validate(body, project: project, limits: try await jobLimits(for: project))
        if body.dryRun == true {
            return .planned(try await plan(zip(body.documents, validated).map { ($0.customId, $1) }, project: project))
        }
        try await checkEndpoint(of: project, for: validated, body: body)
        let (batch, enqueued) = try await batches.enqueueBatch(
            validated, project: project, name: body.name ?? "api batch", source: nil, webhookURL: body.webhookUrl,
            budget: BatchBudgetCap(maxTokens: body.budget?.maxTokens.map(Int64.init), maxCost: body.budget?.maxCost))
        let summary = try await batches.batch(publicID: batch.publicID, projectID: project.id)
        return .created(.init(batch: .init(summary), jobIds: enqueued.map(\.publicID)))
    }

    func getBatch(_ input: Operations.GetBatch.Input) async throws -> Operations.GetBatch.Output {
        let projectID = try RequestPrincipal.required().projectID
        return .ok(.init(body: .json(.init(try await batches.batch(publicID: input.path.batchId, projectID: projectID)))))
    }

    func listBatchJobs(_ input: Operations.ListBatchJobs.Input) async throws -> Operations.ListBatchJobs.Output {
        let projectID = try RequestPrincipal.required().projectID
        // The batch must be visible: an unknown or foreign batch is a 404, not an empty list.
        _ = try await batches.batch(publicID: input.path.batchId, projectID: projectID)
        let filter = JobFilter(
            projectID: projectID, state: input.query.state.flatMap { JobState(rawValue: $0.rawValue) },
            batchPublicID: input.path.batchId)
        let page = try await jobs.listJobs(filter, limit: input.query.limit ?? 100, cursor: input.query.cursor)
        return .ok(.init(body: .json(.init(page))))
    }

    /// The preflight: Mantle must take the project's key and list every model the batch uses
    /// (one look per project a minute, cached). A key or Mantle project Mantle refuses is a 424:
    /// the request is right, and waits on a setting only the project's owner can fix — a 4xx, so
    /// no client retries it blindly as it would a 5xx. A model the endpoint does not serve is a
    /// 422 naming the first document that uses it. An endpoint that cannot be reached refuses
    /// nothing: the jobs wait for it.
    private func checkEndpoint(of project: Project, for jobs: [ValidatedJob], body: Components.Schemas.BatchCreate) async throws {
        guard let preflight else { return }
        var models: [String] = []
        for job in jobs where !models.contains(job.model) { models.append(job.model) }
        switch await preflight.check(project: project, models: models) {
        case .ready, .notChecked, .unreachable:
            return
        case .refused(let code, let message):
            var error = APIError(.upstream, code: code, message)
            error.statusOverride = HTTPResponse.Status(code: 424, reasonPhrase: "Failed Dependency")
            throw error
        case .modelNotServed(let model, let alternatives, let message):
            let index = jobs.firstIndex { $0.model == model }
            let param = index.map { body.documents[$0].model != nil ? "documents[\($0)].model" : "model" } ?? "model"
            let hint = alternatives.isEmpty ? "" : "; name one of them in `\(param)`"
            var error = APIError.invalid(param, code: "model_not_served", message + hint)
            error.statusOverride = .unprocessableContent
            throw error
        }
    }

    /// Every document checked before anything is stored; the first refusal names its index.
    private func validate(_ body: Components.Schemas.BatchCreate, project: Project, limits: JobLimits) throws -> [ValidatedJob] {
        var seenCustomIDs: Set<String> = []
        return try body.documents.enumerated().map { index, document in
            if let customID = document.customId {
                guard seenCustomIDs.insert(customID).inserted else {
                    throw APIError.invalid(
                        "documents[\(index)].custom_id", code: "duplicate", "custom_id '\(customID.prefix(80))' appears twice in this batch"
                    )
                }
            }
            var metadata = body.metadata?.additionalProperties ?? [:]
            metadata.merge(document.metadata?.additionalProperties ?? [:]) { _, own in own }
            var request = JobRequest(
                document: document.document, instructions: document.instructions ?? body.instructions,
                model: document.model ?? body.model, maxOutputTokens: document.maxOutputTokens ?? body.maxOutputTokens,
                reasoningEffort: (document.reasoningEffort ?? body.reasoningEffort).flatMap { ReasoningEffort(rawValue: $0.rawValue) },
                metadata: metadata, priority: document.priority ?? body.priority ?? 0, webhookURL: body.webhookUrl,
                sourcePath: document.customId,
                strategy: (document.strategy ?? body.strategy).flatMap { SummaryStrategy(rawValue: $0.rawValue) },
                mapModel: document.mapModel ?? body.mapModel, mapMaxOutputTokens: document.mapMaxOutputTokens ?? body.mapMaxOutputTokens)
            request.serviceTier = (document.serviceTier ?? body.serviceTier).flatMap { ServiceTier(rawValue: $0.rawValue) }
            request.deadline = body.deadline
            do throws(ValidationError) {
                var validated = try request.validated(defaultModel: project.defaultModel, limits: limits, checkModel: MantleModel.jobModelCheck)
                // Every job of the batch continues the trace of the request that brought it.
                validated.traceContext = ServiceContext.current?.traceParent?.description
                return validated
            } catch {
                let param = error.field == "webhook_url" ? error.field : "documents[\(index)].\(error.field)"
                throw APIError.invalid(param, code: error.code, error.message)
            }
        }
    }
}
