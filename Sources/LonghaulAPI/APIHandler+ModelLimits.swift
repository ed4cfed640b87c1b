import LonghaulCore
import Mantle

/// `/v1/projects/{project}/model-limits`: a project's own context windows per model; anyone who
/// sees the project reads them, only an admin sets them (as with budgets).
extension APIHandler {
    func listModelLimits(_ input: Operations.ListModelLimits.Input) async throws -> Operations.ListModelLimits.Output {
        let project = try await visibleProject(slug: input.path.project)
        return .ok(.init(body: .json(try await modelLimitList(project))))
    }

    func setModelLimit(_ input: Operations.SetModelLimit.Input) async throws -> Operations.SetModelLimit.Output {
        try requireAdmin("set model limits")
        guard case .json(let body) = input.body else { throw APIError.invalid(nil, "send the window as JSON") }
        let project = try await visibleProject(slug: input.path.project)
        try await ModelLimitStore(pool: pool).set(
            projectID: project.id,
            ModelLimitOverride(
                model: input.path.model, contextWindow: body.contextWindow, maxOutputTokens: body.maxOutputTokens,
                api: body.api.flatMap { GenerationAPI(rawValue: $0.rawValue) }))
        return .ok(.init(body: .json(try await modelLimitList(project))))
    }

    func clearModelLimit(_ input: Operations.ClearModelLimit.Input) async throws -> Operations.ClearModelLimit.Output {
        try requireAdmin("clear model limits")
        let project = try await visibleProject(slug: input.path.project)
        guard try await ModelLimitStore(pool: pool).clear(projectID: project.id, model: input.path.model) else {
            throw APIError.notFound("a window for \(input.path.model) in project '\(project.slug)'")
        }
        return .ok(.init(body: .json(try await modelLimitList(project))))
    }

    private func modelLimitList(_ project: Project) async throws -> Components.Schemas.ModelLimitList {
        let overrides = try await ModelLimitStore(pool: pool).overrides(projectID: project.id)
        return .init(
            object: .list,
            data: overrides.values.sorted { $0.model < $1.model }.map { override in
                let figures = override.comparison
                return Components.Schemas.ModelLimit(
                    object: .modelLimit, model: override.model, contextWindow: figures.overridden.contextWindow,
                    maxOutputTokens: figures.overridden.maxOutputTokens, tableContextWindow: figures.table.contextWindow,
                    tableMaxOutputTokens: figures.table.maxOutputTokens,
                    api: override.api.flatMap { Components.Schemas.ModelAPI(rawValue: $0.rawValue) })
            })
    }
}

extension APIHandler {
    /// The limits enqueue checks for `project`: the server's, with the project's own model windows
    /// and the models' estimate calibrations (each kept for a second, `RequestLookups`).
    func jobLimits(for project: Project) async throws -> JobLimits {
        var limits = configuration.jobLimits
        limits.modelLimitOverrides = try await lookups.modelLimits.value(for: project.id) {
            try await ModelLimitStore(pool: pool).overrides(projectID: project.id)
        } ?? [:]
        limits.calibrations = try await lookups.calibrations.value(for: 0) {
            try await ModelLimitStore(pool: pool).calibrations()
        } ?? [:]
        return limits
    }
}
