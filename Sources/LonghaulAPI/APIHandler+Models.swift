import LonghaulCore

/// `/v1/models`: what the project's endpoint serves, joined with the model table.
extension APIHandler {
    func listModels(_ input: Operations.ListModels.Input) async throws -> Operations.ListModels.Output {
        let project: Project
        if let projectID = try await visibleProjectID(named: input.query.project) {
            project = try await projects.get(id: projectID)
        } else {
            project = try await self.project(slug: "default")
        }
        // A server that does not reach Mantle (the in-process simulator's) lists what the table knows.
        let served: [String]?
        do {
            served = try await preflight?.servedModels(of: project)
        } catch {
            throw APIError(
                .upstream, code: "endpoint_failed",
                "the endpoint of project '\(project.slug)' did not list its models: \(error.detail.message)")
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        object: .list,
                        data: ModelCatalogue.listing(served: served, entries: try await jobLimits(for: project).modelLimitOverrides).map { model in
                            .init(
                                id: model.id, object: .model,
                                api: model.api.flatMap(Components.Schemas.ModelInfo.ApiPayload.init(rawValue:)),
                                contextWindow: model.contextWindow, maxOutputTokens: model.maxOutputTokens,
                                servedByEndpoint: model.servedByEndpoint)
                        }))))
    }
}
