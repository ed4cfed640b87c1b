import Foundation
import LonghaulCore
import Mantle

/// `/v1/batches`: many documents in one request, stored whole or not at all.
extension APIHandler {
    func createBatch(_ input: Operations.CreateBatch.Input) async throws -> Operations.CreateBatch.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid(nil, "send the batch as JSON") }
        guard !body.documents.isEmpty else { throw APIError.invalid("documents", code: "empty", "send at least one document") }
        guard body.documents.count <= configuration.maxBatchDocuments else {
            throw APIError.invalid(
                "documents", code: "too_many",
                "\(body.documents.count) documents; one request takes at most \(configuration.maxBatchDocuments) — split the batch")
        }
        let project = try await actingProject(named: body.project)
        let validated = try validate(body, project: project)
        let (batch, enqueued) = try await batches.enqueueBatch(
            validated, project: project, name: body.name ?? "api batch", source: nil, webhookURL: body.webhookUrl)
        let summary = try await batches.batch(publicID: batch.publicID, projectID: project.id)
        return .accepted(.init(body: .json(.init(batch: .init(summary), jobIds: enqueued.map(\.publicID)))))
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

    /// Every document checked before anything is stored; the first refusal names its index.
    private func validate(_ body: Components.Schemas.BatchCreate, project: Project) throws -> [ValidatedJob] {
        var seenCustomIDs: Set<String> = []
        return try body.documents.enumerated().map { index, document in
            if let customID = document.customId {
                guard seenCustomIDs.insert(customID).inserted else {
                    throw APIError.invalid("documents[\(index)].custom_id", code: "duplicate", "custom_id '\(customID.prefix(80))' appears twice in this batch")
                }
            }
            var metadata = body.metadata?.additionalProperties ?? [:]
            metadata.merge(document.metadata?.additionalProperties ?? [:]) { _, own in own }
            let request = JobRequest(
                document: document.document, instructions: document.instructions ?? body.instructions,
                model: document.model ?? body.model, maxOutputTokens: document.maxOutputTokens ?? body.maxOutputTokens,
                reasoningEffort: (document.reasoningEffort ?? body.reasoningEffort).flatMap { ReasoningEffort(rawValue: $0.rawValue) },
                metadata: metadata, priority: document.priority ?? body.priority ?? 0, webhookURL: body.webhookUrl,
                sourcePath: document.customId, strategy: (document.strategy ?? body.strategy).flatMap { SummaryStrategy(rawValue: $0.rawValue) },
                mapModel: document.mapModel ?? body.mapModel, mapMaxOutputTokens: document.mapMaxOutputTokens ?? body.mapMaxOutputTokens)
            do throws(ValidationError) {
                return try request.validated(defaultModel: project.defaultModel, limits: configuration.jobLimits, checkModel: MantleModel.responsesCheck)
            } catch {
                let param = error.field == "webhook_url" ? error.field : "documents[\(index)].\(error.field)"
                throw APIError.invalid(param, code: error.code, error.message)
            }
        }
    }
}
