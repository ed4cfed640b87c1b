public import Foundation
public import HTTPClient
public import Logging
public import Mantle
import Synchronization

/// Where projects with neither a region nor a base URL send their Responses: `OPENAI_BASE_URL`
/// with `OPENAI_API_KEY` (or `AWS_BEARER_TOKEN_BEDROCK`), as the Bedrock docs teach, or the
/// in-process simulator when nothing is configured.
public struct DefaultEndpoint: Sendable {
    public var endpoint: MantleEndpoint
    public var credential: MantleCredential
    public var isSimulator: Bool

    public init(endpoint: MantleEndpoint, credential: MantleCredential, isSimulator: Bool) {
        self.endpoint = endpoint
        self.credential = credential
        self.isSimulator = isSimulator
    }

    /// The endpoint the environment configures, or nil when none is (then use the simulator).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DefaultEndpoint? {
        guard let baseURL = environment["OPENAI_BASE_URL"], !baseURL.isEmpty else { return nil }
        let credential: MantleCredential
        if environment["OPENAI_API_KEY"]?.isEmpty == false {
            credential = .apiKeyEnvironment(variable: "OPENAI_API_KEY")
        } else if environment["AWS_BEARER_TOKEN_BEDROCK"]?.isEmpty == false {
            credential = .apiKeyEnvironment(variable: "AWS_BEARER_TOKEN_BEDROCK")
        } else {
            throw GatewayConfigurationError(
                "OPENAI_BASE_URL is set but neither OPENAI_API_KEY nor AWS_BEARER_TOKEN_BEDROCK is; set one of them to your Bedrock API key")
        }
        return DefaultEndpoint(endpoint: try MantleEndpoint(baseURL: baseURL), credential: credential, isSimulator: false)
    }

    /// The in-process simulator at `baseURL`, which accepts any key.
    public static func simulator(baseURL: String) throws -> DefaultEndpoint {
        DefaultEndpoint(endpoint: try MantleEndpoint(baseURL: baseURL), credential: .apiKey(MantleSecret("simulator")), isSimulator: true)
    }
}

/// A configuration problem found before any call, with the fix.
public struct GatewayConfigurationError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The `ResponsesGateway` over Mantle: each project's calls go to its own endpoint, with its own
/// credential and `OpenAI-Project` header, through one shared HTTP client. Clients are built once
/// per project and rebuilt when the project's settings may have changed (every `refresh`, or at once
/// when a caller holds the project with other settings).
public final class MantleGateway: ResponsesGateway {
    private struct Entry {
        var client: MantleClient
        var builtAt: ContinuousClock.Instant
        /// The settings the client was built from: a caller holding a newer project (the
        /// preflight, after `projects update`) gets a new client at once, not after `refresh`.
        var settings: ConnectionSettings
    }

    /// What a project's client is built from.
    struct ConnectionSettings: Equatable, Sendable {
        var region: String?
        var baseURL: String?
        var mantleProjectID: String?
        var credentialReference: String?
        var runtimeRegion: String?

        init(_ project: Project) {
            runtimeRegion = project.runtimeRegion
            region = project.region
            baseURL = project.baseURL
            mantleProjectID = project.mantleProjectID
            credentialReference = project.credentialReference
        }
    }

    private let projects: ProjectStore
    let http: HTTPClient
    let defaultEndpoint: DefaultEndpoint
    let logger: Logger
    private let timeouts: MantleTimeouts
    private let refresh: Duration
    private let clients = Mutex<[Int64: Entry]>([:])
    /// The endpoints and models that refuse background+stream or its resume (`MantleGateway+BackgroundStreams`).
    let streamRefusals = StreamRefusals()

    public init(
        projects: ProjectStore, http: HTTPClient, defaultEndpoint: DefaultEndpoint, logger: Logger,
        timeouts: MantleTimeouts = MantleTimeouts(request: .seconds(60), connect: .seconds(10)), refresh: Duration = .seconds(60)
    ) {
        self.projects = projects
        self.http = http
        self.defaultEndpoint = defaultEndpoint
        self.logger = logger
        self.timeouts = timeouts
        self.refresh = refresh
    }

    public func submit(_ job: ClaimedJob) async throws(RemoteCallError) -> RemoteSubmission {
        let client = try await client(for: job.projectID)
        do {
            let response = try await client.createResponse(Self.createRequest(for: job))
            return RemoteSubmission(responseID: response.id, remoteStatus: response.status.rawValue)
        } catch {
            throw Self.classify(error)
        }
    }

    public func retrieve(_ poll: ClaimedPoll) async throws(RemoteCallError) -> RemoteSnapshot {
        let client = try await client(for: poll.projectID)
        do {
            return Self.snapshot(try await client.retrieveResponse(id: poll.responseID, model: poll.model))
        } catch {
            throw Self.classify(error)
        }
    }

    public func cancel(_ poll: ClaimedPoll) async throws(RemoteCallError) -> RemoteSnapshot {
        let client = try await client(for: poll.projectID)
        do {
            return Self.snapshot(try await client.cancelResponse(id: poll.responseID, model: poll.model))
        } catch {
            throw Self.classify(error)
        }
    }

    /// The create request of `job`'s attempt; the job id and attempt go in `metadata`, so a
    /// duplicate Response (a create whose answer was lost) can be told apart.
    static func createRequest(for job: ClaimedJob) -> ResponseCreateRequest {
        var metadata = job.metadata
        metadata["longhaul_job_id"] = job.publicID
        metadata["longhaul_attempt"] = String(job.attempt)
        return ResponseCreateRequest(
            model: job.model, instructions: job.instructions, input: .text(job.document), maxOutputTokens: job.maxOutputTokens,
            metadata: metadata, reasoningEffort: job.reasoningEffort, serviceTier: job.serviceTier)
    }

    /// The client for a project, built from its settings (cached for `refresh`).
    func client(for projectID: Int64) async throws(RemoteCallError) -> MantleClient {
        let now = ContinuousClock.now
        if let entry = clients.withLock({ $0[projectID] }), now - entry.builtAt < refresh {
            return entry.client
        }
        let project: Project
        do {
            project = try await projects.get(id: projectID)
        } catch {
            throw .retryable(AttemptError(code: "project_lookup_failed", message: "could not read project \(projectID): \(error)"), retryAfter: .seconds(2), mayHaveBeenCreated: false)
        }
        return try client(for: project)
    }

    /// The client for `project` as given, reused while it was built from the same settings less
    /// than `refresh` ago; a setting that cannot be used is `.permanent(project_misconfigured)`.
    func client(for project: Project) throws(RemoteCallError) -> MantleClient {
        let now = ContinuousClock.now
        let settings = ConnectionSettings(project)
        if let entry = clients.withLock({ $0[project.id] }), entry.settings == settings, now - entry.builtAt < refresh {
            return entry.client
        }
        do {
            let client = try MantleClient(
                project: project, defaultEndpoint: defaultEndpoint, http: http, logger: logger, timeouts: timeouts)
            clients.withLock { $0[project.id] = Entry(client: client, builtAt: now, settings: settings) }
            return client
        } catch {
            let reason = (error as? MantleError)?.message ?? "\(error)"
            throw .needsAttention(AttemptError(code: "project_misconfigured", message: "project '\(project.slug)': \(reason)"))
        }
    }

    /// The bedrock-runtime Region the project named apart from Mantle's, as of its client's
    /// settings (call after ``client(for:)``).
    func runtimeRegion(of projectID: Int64) -> String? {
        clients.withLock { $0[projectID]?.settings.runtimeRegion }
    }

    /// True when `project`'s Responses go to the simulator this process started (it names
    /// neither a region nor a base URL, and no `OPENAI_BASE_URL` is set).
    func usesInProcessSimulator(_ project: Project) -> Bool {
        defaultEndpoint.isSimulator && project.region == nil && project.baseURL == nil
    }

    /// A Response in the queue's terms.
    static func snapshot(_ response: MantleResponse) -> RemoteSnapshot {
        let state: JobState
        switch response.status {
        case .completed: state = .completed
        case .failed: state = .failed
        case .incomplete: state = .incomplete
        case .cancelled: state = .cancelled
        case .queued, .inProgress, .unknown: return .running(remoteStatus: response.status.rawValue)
        }
        let usage = response.usage.map {
            Usage(
                inputTokens: $0.inputTokens, cachedTokens: $0.cachedInputTokens, outputTokens: $0.outputTokens,
                reasoningTokens: $0.reasoningTokens, totalTokens: $0.totalTokens)
        }
        return .finished(RemoteResult(
            state: state, remoteStatus: response.status.rawValue, outputText: response.outputText, usage: usage,
            incompleteReason: response.incompleteReason?.rawValue, errorCode: response.error?.code,
            errorMessage: response.error?.message, responseJSON: String(decoding: response.rawJSON, as: UTF8.self)))
    }

    /// Mantle's classification in the queue's terms (DESIGN §7).
    static func classify(_ error: MantleError) -> RemoteCallError {
        let detail = AttemptError(httpStatus: error.status, code: error.code ?? error.type ?? error.kind.description, message: error.message)
        if error.status == 404 { return .notFound(detail) }
        // "You exceeded your current quota" is a 429 that no wait cures (`mantle-api.md` §6): a
        // person must raise the quota, so the project pauses instead of retrying for its window.
        if error.status == 429 && error.code == "insufficient_quota" { return .needsAttention(detail) }
        if error.isRetryable { return .retryable(detail, retryAfter: error.retryAfter, mayHaveBeenCreated: error.mayHaveBeenCreated) }
        if refusesProject(error) { return .needsAttention(detail) }
        return .permanent(detail)
    }

    /// True when the failure holds for every call of the project, not this one request: the key
    /// or the Mantle project is refused (401, 403), or the credential cannot be read. A 401 "…
    /// is not enabled for this account" is about one model's route (`mantle-api.md` §6), so it
    /// fails that job and leaves the project running.
    static func refusesProject(_ error: MantleError) -> Bool {
        if error.kind == .credential { return true }
        guard error.status == 401 || error.status == 403 else { return false }
        return !error.message.lowercased().contains("is not enabled for this account")
    }
}

extension MantleModel {
    /// Enqueue's model check: nil when the model takes background Responses, else why not. A
    /// model of no family Longhaul knows is refused here, at enqueue, with the families it
    /// knows — not by Mantle later, one failed job at a time.
    public static let responsesCheck: ModelCheck = { model in
        do throws(MantleError) {
            _ = try MantleModel.requireResponses(model)
        } catch {
            return error.message
        }
        guard MantleModel.capabilities(of: model.trimmingCharacters(in: .whitespaces)).family != .unrecognised else {
            return "model '\(model.prefix(128))' is not a Mantle model Longhaul knows; use a Responses model such as "
                + "openai.gpt-oss-120b, openai.gpt-oss-20b, openai.gpt-5.x, google.gemma-* or xai.grok-*"
        }
        return nil
    }
}
