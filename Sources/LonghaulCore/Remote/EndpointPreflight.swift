public import HTTPClient
public import Logging
public import Mantle
import Synchronization

/// Asks a project's Mantle endpoint, once, whether it takes the project's key and serves the
/// models about to be enqueued (`GET /v1/models`), so that `longhaul batch` and `POST /v1/batches`
/// refuse at once what would otherwise fail — or wait for a person — one job at a time.
///
/// Clients come from a ``MantleGateway`` of its own (the one place clients are built), with
/// short time limits: a preflight that waits out a minute-long request timeout would cost more
/// than it saves. A project whose Responses go to the in-process simulator is not asked: this
/// process starts that simulator itself, and it accepts any key.
public final class EndpointPreflight: Sendable {
    private struct Cached {
        var settings: MantleGateway.ConnectionSettings
        var probe: EndpointProbe
        var at: ContinuousClock.Instant
    }

    private let gateway: MantleGateway
    private let ttl: Duration
    private let logger: Logger
    private let probes = Mutex<[Int64: Cached]>([:])

    /// A preflight for the projects in `projects`, sending through `http`.
    ///
    /// - Parameters:
    ///   - defaultEndpoint: where projects with neither a region nor a base URL send their Responses.
    ///   - ttl: how long a model list (or an unreachable endpoint) is reused per project.
    public init(
        projects: ProjectStore, http: HTTPClient, defaultEndpoint: DefaultEndpoint, logger: Logger,
        timeouts: MantleTimeouts = MantleTimeouts(request: .seconds(15), connect: .seconds(5)), ttl: Duration = .seconds(60)
    ) {
        gateway = MantleGateway(projects: projects, http: http, defaultEndpoint: defaultEndpoint, logger: logger, timeouts: timeouts)
        self.ttl = ttl
        self.logger = logger
    }

    /// The verdict on `project`'s endpoint for `models` (each as the jobs will send it); the
    /// first model the endpoint does not list, in the order given, refuses.
    public func check(project: Project, models: [String]) async -> PreflightVerdict {
        if gateway.usesInProcessSimulator(project) { return .notChecked }
        return await probe(project).verdict(for: models, project: project)
    }

    /// The cached look at `project`'s endpoint, or a new one.
    ///
    /// A model list is cached for `ttl` (a minute): it is what keeps a client that posts many
    /// batches from listing models before each, and a model enabled meanwhile is seen a minute
    /// late at worst. An unreachable endpoint is cached too: during an outage every request would
    /// otherwise wait out the connect timeout only to enqueue anyway, and the jobs wait for the
    /// endpoint either way. A refusal is not cached: the caller stops and fixes the key, and the
    /// next try must see the fix at once (a changed project setting also misses the cache).
    private func probe(_ project: Project) async -> EndpointProbe {
        let settings = MantleGateway.ConnectionSettings(project)
        let now = ContinuousClock.now
        if let cached = probes.withLock({ $0[project.id] }), cached.settings == settings, now - cached.at < ttl {
            return cached.probe
        }
        let probe = await look(at: project)
        switch probe {
        case .refused(let code, let message):
            logger.info("preflight refused", metadata: ["project": "\(project.slug)", "error.code": "\(code)", "error": "\(message)"])
            probes.withLock { _ = $0.removeValue(forKey: project.id) }
        case .unreachable(let message):
            logger.info("preflight could not check the endpoint", metadata: ["project": "\(project.slug)", "error": "\(message)"])
            fallthrough
        case .served:
            // A look cut short by the caller's cancellation says nothing about the endpoint.
            if !Task.isCancelled {
                probes.withLock { $0[project.id] = Cached(settings: settings, probe: probe, at: now) }
            }
        }
        return probe
    }

    /// Lists the models, and — when the project names a Mantle project — reads that project's
    /// status: Mantle may list models for an archived project and refuse only its inference.
    private func look(at project: Project) async -> EndpointProbe {
        let defaultCredential = gateway.defaultEndpoint.credential
        let client: MantleClient
        do {
            client = try gateway.client(for: project)
        } catch {
            return .unusable(error.detail, project: project, defaultCredential: defaultCredential)
        }
        let endpoint = client.endpoint.description
        let models: [MantleModelInfo]
        do {
            models = try await client.listModels()
        } catch {
            return .failed(error, endpoint: endpoint, project: project, defaultCredential: defaultCredential)
        }
        // Only an answer that says "archived" counts: the retrieve route is not confirmed on
        // Mantle, so its failures say nothing about the project.
        if let mantleProject = project.mantleProjectID, let found = try? await client.retrieveProject(id: mantleProject),
            found.status == .archived
        {
            return .archived(mantleProject, project: project)
        }
        return .listed(models.map(\.id), endpoint: endpoint, project: project)
    }
}

extension EndpointPreflight {
    /// The ids `project`'s endpoint lists in `GET /v1/models` (for `GET /v1/models` of our API).
    public func servedModels(of project: Project) async throws(RemoteCallError) -> [String] {
        try await gateway.servedModels(of: project)
    }
}
