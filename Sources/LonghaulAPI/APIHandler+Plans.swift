import LonghaulCore
import Mantle

/// Plans: what a job or a batch would do, with nothing stored and no call made.
extension APIHandler {
    func planJob(_ input: Operations.PlanJob.Input) async throws -> Operations.PlanJob.Output {
        guard case .json(let body) = input.body else { throw APIError.invalid(nil, "send the job as JSON") }
        let project = try await actingProject(named: body.project)
        let validated = try JobRequest(body).validated(
            defaultModel: project.defaultModel, limits: try await jobLimits(for: project), checkModel: MantleModel.jobModelCheck)
        return .ok(.init(body: .json(try await plan([(nil, validated)], project: project))))
    }

    /// The plan of `jobs` (each with its `custom_id`) under `project`'s prices, history and limits.
    func plan(_ jobs: [(customID: String?, job: ValidatedJob)], project: Project) async throws -> Components.Schemas.Plan {
        let facts = try await usage.planFacts(for: project)
        let documents = jobs.map { RunPlan.Document(name: $0.customID ?? "", job: $0.job, alreadyDone: false, facts: facts) }
        return Components.Schemas.Plan(RunPlan(documents: documents, facts: facts))
    }
}

extension JobRequest {
    /// A `POST /v1/jobs` body as a request (the `Idempotency-Key` header aside).
    init(_ body: Components.Schemas.JobCreate, idempotencyKey: String? = nil) {
        self.init(
            document: body.document, instructions: body.instructions, model: body.model,
            maxOutputTokens: body.maxOutputTokens, reasoningEffort: body.reasoningEffort.flatMap { ReasoningEffort(rawValue: $0.rawValue) },
            metadata: body.metadata?.additionalProperties ?? [:], priority: body.priority ?? 0, runAt: body.runAt,
            idempotencyKey: idempotencyKey, webhookURL: body.webhookUrl,
            strategy: body.strategy.flatMap { SummaryStrategy(rawValue: $0.rawValue) }, mapModel: body.mapModel,
            mapMaxOutputTokens: body.mapMaxOutputTokens)
        serviceTier = body.serviceTier.flatMap { ServiceTier(rawValue: $0.rawValue) }
        deadline = body.deadline
    }
}

extension Components.Schemas.Plan {
    init(_ plan: RunPlan) {
        self.init(
            object: .plan,
            documents: plan.documents.enumerated().map { index, document in
                Components.Schemas.PlanDocument(
                    index: index, customId: document.name.isEmpty ? nil : document.name, model: document.model, calls: document.calls,
                    levels: document.levels, inputTokens: document.inputTokens,
                    inputCount: document.inputCount == "o200k_base" ? .o200kBase : .estimate,
                    worstOutputTokens: document.worstOutputTokens, expectedOutputTokens: document.expectedOutputTokens,
                    worstCost: document.worstCost, expectedCost: document.expectedCost, admittedTokens: document.admittedTokens,
                    warning: document.warning)
            },
            toRun: plan.toRun, calls: plan.calls, inputTokens: plan.inputTokens, worstOutputTokens: plan.worstOutputTokens,
            expectedOutputTokens: plan.expectedOutputTokens, worstCost: plan.worstCost, expectedCost: plan.expectedCost,
            currency: plan.currency, unpricedModels: plan.unpricedModels, minimumSeconds: plan.minimumSeconds, timeBasis: plan.timeBasis)
    }
}
