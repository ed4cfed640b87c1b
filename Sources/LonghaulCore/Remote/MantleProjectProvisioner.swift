public import HTTPClient
public import Logging
public import Mantle

/// Creates the Mantle project behind a Longhaul project and records its `proj_…` id, so the
/// team's Responses are attributed (and tagged) in Bedrock from the first job.
///
/// Used by `longhaul projects add --create-mantle-project` and by the API. The call goes where
/// the project's Responses will go (its region, its base URL, or the default endpoint) with the
/// same credential, through the Mantle Projects API (`POST /v1/organization/projects`).
public struct MantleProjectProvisioner: Sendable {
    let projects: ProjectStore
    let http: HTTPClient
    let logger: Logger
    let timeouts: MantleTimeouts

    public init(
        projects: ProjectStore, http: HTTPClient, logger: Logger,
        timeouts: MantleTimeouts = MantleTimeouts(request: .seconds(30), connect: .seconds(10))
    ) {
        self.projects = projects
        self.http = http
        self.logger = logger
        self.timeouts = timeouts
    }

    /// Creates a Mantle project named after `project`'s slug with its tags, stores the id in
    /// `mantle_project_id` and returns the updated project.
    ///
    /// A project that already has a Mantle project is `StoreError.conflict` (nothing is created).
    /// Mantle's refusal (a name taken, no permission) is the `MantleError` it sent; a setting that
    /// cannot be used is a `GatewayConfigurationError` naming it.
    public func provision(_ project: Project, using endpoint: DefaultEndpoint) async throws -> Project {
        if let existing = project.mantleProjectID {
            throw StoreError.conflict("project '\(project.slug)' already has the Mantle project \(existing); clear it first to create another")
        }
        let client: MantleClient
        do {
            client = try MantleClient(project: project, defaultEndpoint: endpoint, http: http, logger: logger, timeouts: timeouts)
        } catch {
            throw GatewayConfigurationError("project '\(project.slug)' cannot reach Mantle: \(error)")
        }
        let created = try await client.createProject(ProjectCreateRequest(name: project.slug, tags: project.tags))
        logger.info("created a Mantle project", metadata: ["project": "\(project.slug)", "mantle.project": "\(created.id)"])
        return try await projects.update(slug: project.slug, ProjectUpdate(mantleProjectID: created.id))
    }
}
