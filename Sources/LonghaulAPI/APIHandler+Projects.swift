import Foundation
import LonghaulCore

/// `/v1/projects`: the admin manages tenants; a project token sees only its own.
extension APIHandler {
    func listProjects(_ input: Operations.ListProjects.Input) async throws -> Operations.ListProjects.Output {
        let list: [Project]
        switch try RequestPrincipal.required() {
        case .admin: list = try await projects.list(includeArchived: input.query.includeArchived ?? false)
        case .project(let own): list = [try await projects.get(id: own.id)]
        }
        return .ok(.init(body: .json(.init(object: .list, data: list.map(Components.Schemas.Project.init)))))
    }

    func createProject(_ input: Operations.CreateProject.Input) async throws -> Operations.CreateProject.Output {
        try requireAdmin("create projects")
        guard case .json(let body) = input.body else { throw APIError.invalid(nil, "send the project as JSON") }
        if body.createMantleProject == true && provisioner == nil {
            throw APIError.invalid(
                "create_mantle_project", code: "mantle_not_configured",
                "this server has no Mantle endpoint to create the Mantle project with: start longhaul serve with OPENAI_BASE_URL (or --with-workers), or leave create_mantle_project out")
        }
        var new = NewProject(slug: body.slug)
        new.region = body.region
        new.baseURL = body.baseUrl
        new.runtimeRegion = body.runtimeRegion
        new.mantleProjectID = body.mantleProjectId
        new.credentialReference = body.credential
        if let model = body.defaultModel { new.defaultModel = model }
        if let maxInFlight = body.maxInFlight { new.maxInFlight = maxInFlight }
        new.tokensPerMinute = body.tokensPerMinute
        if let maxAttempts = body.maxAttempts { new.maxAttempts = maxAttempts }
        if let window = body.retryWindowSeconds { new.retryWindowSeconds = window }
        new.tags = body.tags?.additionalProperties ?? [:]
        var project = try await projects.create(new)
        if body.createMantleProject == true {
            project = try await provisionMantleProject(project)
        }
        return .created(.init(body: .json(.init(project))))
    }

    func getProject(_ input: Operations.GetProject.Input) async throws -> Operations.GetProject.Output {
        let project = try await visibleProject(slug: input.path.project)
        return .ok(.init(body: .json(.init(project))))
    }

    func updateProject(_ input: Operations.UpdateProject.Input) async throws -> Operations.UpdateProject.Output {
        try requireAdmin("change projects")
        guard case .json(let body) = input.body else { throw APIError.invalid(nil, "send the changes as JSON") }
        var changes = ProjectUpdate()
        changes.defaultModel = body.defaultModel
        changes.maxInFlight = body.maxInFlight
        if let tpm = body.tokensPerMinute {
            if tpm == 0 { changes.clearTokensPerMinute = true } else { changes.tokensPerMinute = tpm }
        }
        changes.maxAttempts = body.maxAttempts
        changes.retryWindowSeconds = body.retryWindowSeconds
        changes.runtimeRegion = body.runtimeRegion
        changes.credentialReference = body.credential
        changes.mantleProjectID = body.mantleProjectId
        changes.tags = body.tags?.additionalProperties
        do {
            return .ok(.init(body: .json(.init(try await projects.update(slug: input.path.project, changes)))))
        } catch StoreError.notFound {
            throw APIError.notFound("project '\(input.path.project)'")
        }
    }

    func archiveProject(_ input: Operations.ArchiveProject.Input) async throws -> Operations.ArchiveProject.Output {
        try requireAdmin("archive projects")
        do {
            return .ok(.init(body: .json(.init(try await projects.archive(slug: input.path.project)))))
        } catch StoreError.notFound {
            throw APIError.notFound("project '\(input.path.project)'")
        }
    }

    /// A project's own token may pause and resume it (a team steers its own work); the admin any.
    func pauseProject(_ input: Operations.PauseProject.Input) async throws -> Operations.PauseProject.Output {
        let project = try await visibleProject(slug: input.path.project)
        var reason: String?
        if case .json(let body) = input.body { reason = body.reason }
        return .ok(.init(body: .json(.init(try await projects.pause(slug: project.slug, reason: reason, publicBaseURL: configuration.publicBaseURL)))))
    }

    func resumeProject(_ input: Operations.ResumeProject.Input) async throws -> Operations.ResumeProject.Output {
        let project = try await visibleProject(slug: input.path.project)
        return .ok(.init(body: .json(.init(try await projects.resume(slug: project.slug, publicBaseURL: configuration.publicBaseURL)))))
    }

    /// A project by slug if the caller may see it; otherwise the same 404 as a missing one.
    func visibleProject(slug: String) async throws -> Project {
        if case .project(let own) = try RequestPrincipal.required(), own.slug != slug {
            throw APIError.notFound("project '\(slug)'")
        }
        return try await project(slug: slug)
    }

    /// Creates the project in Mantle too; the Longhaul project stays (without a `proj_` id) when
    /// Mantle refuses, and the error says so.
    private func provisionMantleProject(_ project: Project) async throws -> Project {
        guard let provisioner else { return project }
        do {
            return try await provisioner(project)
        } catch {
            throw APIError(
                .upstream, code: "mantle_project_failed",
                "project '\(project.slug)' was created, but Mantle did not create its project: \(error). Set mantle_project_id with PATCH later")
        }
    }
}
