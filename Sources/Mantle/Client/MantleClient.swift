public import Foundation
import HTTPClient
public import Logging
import MantleModels

/// The client for Mantle's OpenAI-compatible Responses and Projects APIs.
///
/// Every create is a background Response (`background: true`, `store: true`). The path prefix of a
/// Response route follows the model (`/v1` for gpt-oss, `/openai/v1` for gpt-5, Gemma, Grok), so
/// retrieve, cancel and delete take the model too. Every failure is a `MantleError`, classified
/// retryable or permanent; the client itself never retries (the job loops do, with backoff).
public struct MantleClient: Sendable {
    /// Where requests go.
    public let endpoint: MantleEndpoint
    /// Where the bearer token of each request comes from.
    public let credentials: MantleCredentialProvider
    /// The Mantle project id sent as `OpenAI-Project` on Responses and model calls, when set.
    public let projectID: String?
    /// Time limits.
    public let timeouts: MantleTimeouts
    /// The largest answer body accepted.
    public let maxResponseBytes: Int

    let transport: any MantleTransport
    let logger: Logger
    let now: @Sendable () -> Date

    /// A client for `endpoint`, authenticating with `credentials`.
    ///
    /// - Parameters:
    ///   - projectID: the Mantle project (`proj_…`); nil uses the account's default project.
    ///   - transport: an `HTTPClient` in production.
    ///   - now: the wall clock used to turn an HTTP-date `Retry-After` into a delay.
    public init(
        endpoint: MantleEndpoint,
        credentials: MantleCredentialProvider,
        projectID: String? = nil,
        transport: any MantleTransport,
        logger: Logger = Logger(label: "longhaul.mantle"),
        timeouts: MantleTimeouts = MantleTimeouts(),
        maxResponseBytes: Int = 32 << 20,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.projectID = projectID.flatMap { $0.isEmpty ? nil : $0 }
        self.transport = transport
        self.logger = logger
        self.timeouts = timeouts
        self.maxResponseBytes = maxResponseBytes
        self.now = now
    }

    // MARK: Responses

    /// Validates `request`, checks that its model serves the Responses API, and creates a
    /// background Response. The answer is usually `in_progress` (sometimes `queued`).
    ///
    /// On failure check `MantleError.mayHaveBeenCreated`: a timeout or reset after sending leaves
    /// the outcome unknown, and Mantle takes no idempotency key.
    public func createResponse(_ request: ResponseCreateRequest) async throws(MantleError) -> MantleResponse {
        try request.validate()
        let prefix = try MantleModel.requireResponses(request.model)
        let body = try request.jsonBody(operation: .createResponse)
        let response = try await send(.createResponse, .post, endpoint.url(prefix, "/responses"), body: body, project: true)
        return try decodeResponse(response, operation: .createResponse)
    }

    /// Retrieves a Response (the poll). `model` picks the path prefix it was created under.
    public func retrieveResponse(id: String, model: String) async throws(MantleError) -> MantleResponse {
        let url = try responseURL(id: id, model: model, suffix: "")
        let response = try await send(.retrieveResponse, .get, url, body: nil, project: true)
        return try decodeResponse(response, operation: .retrieveResponse)
    }

    /// Cancels a background Response; returns it, normally `cancelled` (or already terminal).
    public func cancelResponse(id: String, model: String) async throws(MantleError) -> MantleResponse {
        let url = try responseURL(id: id, model: model, suffix: "/cancel")
        let response = try await send(.cancelResponse, .post, url, body: Data("{}".utf8), project: true)
        return try decodeResponse(response, operation: .cancelResponse)
    }

    /// Deletes a stored Response. A 2xx with an empty or unexpected body counts as deleted.
    public func deleteResponse(id: String, model: String) async throws(MantleError) -> ResponseDeletion {
        let url = try responseURL(id: id, model: model, suffix: "")
        let response = try await send(.deleteResponse, .delete, url, body: nil, project: true)
        return (try? JSONDecoder().decode(ResponseDeletion.self, from: response.body))
            ?? ResponseDeletion(id: id, deleted: true)
    }

    // MARK: Models

    /// The models this account can call in this Region (`GET /v1/models`).
    public func listModels() async throws(MantleError) -> [MantleModelInfo] {
        let response = try await send(.listModels, .get, endpoint.url(.v1, "/models"), body: nil, project: true)
        return try decode(ListEnvelope<MantleModelInfo>.self, response, operation: .listModels, expected: "a model list").data
    }

    // MARK: Projects

    /// Creates a project with `name` and `tags`.
    public func createProject(_ request: ProjectCreateRequest) async throws(MantleError) -> MantleProject {
        try request.validate()
        let body = try encode(request, operation: .createProject)
        let response = try await send(.createProject, .post, endpoint.url(.v1, "/organization/projects"), body: body, project: false)
        return try decode(MantleProject.self, response, operation: .createProject, expected: "a project")
    }

    /// One page of the account's projects. `limit`, `after` and `includeArchived` are sent only
    /// when given (Mantle's support for them is unconfirmed).
    public func listProjects(limit: Int? = nil, after: String? = nil, includeArchived: Bool? = nil) async throws(MantleError)
        -> ProjectList
    {
        var query: [String] = []
        if let limit { query.append("limit=\(limit)") }
        if let after { query.append("after=\(try Self.pathSegment(after, param: "after"))") }
        if let includeArchived { query.append("include_archived=\(includeArchived)") }
        let url = endpoint.url(.v1, "/organization/projects") + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        let response = try await send(.listProjects, .get, url, body: nil, project: false)
        let page = try decode(ListEnvelope<MantleProject>.self, response, operation: .listProjects, expected: "a project list")
        return ProjectList(projects: page.data, hasMore: page.hasMore ?? false, lastID: page.lastID ?? page.data.last?.id)
    }

    /// One project by id.
    public func retrieveProject(id: String) async throws(MantleError) -> MantleProject {
        let url = endpoint.url(.v1, "/organization/projects/" + (try Self.pathSegment(id, param: "project_id")))
        let response = try await send(.retrieveProject, .get, url, body: nil, project: false)
        return try decode(MantleProject.self, response, operation: .retrieveProject, expected: "a project")
    }

    /// Renames a project, or adds or removes tags; returns the updated project.
    public func modifyProject(id: String, _ modification: ProjectModification) async throws(MantleError) -> MantleProject {
        try modification.validate()
        let url = endpoint.url(.v1, "/organization/projects/" + (try Self.pathSegment(id, param: "project_id")))
        let body = try encode(modification, operation: .modifyProject)
        let response = try await send(.modifyProject, .post, url, body: body, project: false)
        return try decode(MantleProject.self, response, operation: .modifyProject, expected: "a project")
    }

    /// Archives a project: no new inference, data readable for about 30 days.
    public func archiveProject(id: String) async throws(MantleError) -> MantleProject {
        let url = endpoint.url(.v1, "/organization/projects/" + (try Self.pathSegment(id, param: "project_id")) + "/archive")
        let response = try await send(.archiveProject, .post, url, body: Data("{}".utf8), project: false)
        return try decode(MantleProject.self, response, operation: .archiveProject, expected: "a project")
    }
}

extension MantleClient {
    /// Sends one request with the bearer token and returns a 2xx answer, or throws the classified error.
    /// A 401 drops the cached key; when reading or minting it again gives a different key (a
    /// short-term key that expired, a key file rotated), the request goes once more with it — a
    /// 401 means nothing was created — so that only a key that stays refused reaches the caller.
    private func send(
        _ operation: MantleOperation, _ method: HTTPMethod, _ url: String, body: Data?, project: Bool
    ) async throws(MantleError) -> HTTPResponse {
        let token = try await credentials.bearerToken()
        do {
            return try await send(operation, method, url, body: body, project: project, token: token)
        } catch where error.isUnauthorized {
            guard let fresh = try? await credentials.bearerToken(), fresh != token else { throw error }
            return try await send(operation, method, url, body: body, project: project, token: fresh)
        }
    }

    private func send(
        _ operation: MantleOperation, _ method: HTTPMethod, _ url: String, body: Data?, project: Bool, token: String
    ) async throws(MantleError) -> HTTPResponse {
        var headers: HTTPHeaders = [:]
        headers["Authorization"] = "Bearer " + token
        headers["Accept"] = "application/json"
        if body != nil { headers["Content-Type"] = "application/json" }
        if project, let projectID { headers["OpenAI-Project"] = projectID }
        let request = HTTPRequest(
            method: method, url: url, headers: headers, body: body, timeout: timeouts.request,
            connectTimeout: timeouts.connect, maxResponseBytes: maxResponseBytes
        )
        let started = ContinuousClock.now
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let failure as HTTPClientError {
            let error = MantleError.transport(failure, operation: operation)
            logger.info("mantle request failed", metadata: metadata(operation, url, started, error: error))
            throw error
        } catch {
            // Only a transport other than HTTPClient gets here (a cancelled task, a test double).
            let kind: HTTPClientError.Kind = error is CancellationError ? .cancelled : .other
            let failure = HTTPClientError(kind: kind, message: "\(type(of: error))", url: url)
            throw MantleError.transport(failure, operation: operation)
        }
        guard (200..<300).contains(response.status) else {
            let error = MantleError.http(response, operation: operation, now: now())
            if error.isUnauthorized { await credentials.invalidate() }
            logger.info("mantle request failed", metadata: metadata(operation, url, started, error: error))
            throw error
        }
        logger.debug(
            "mantle request",
            metadata: metadata(operation, url, started).merging(
                ["http.status": "\(response.status)", "mantle.request_id": "\(response.headers["x-request-id"] ?? "")"]
            ) { $1 }
        )
        return response
    }

    private func metadata(
        _ operation: MantleOperation, _ url: String, _ started: ContinuousClock.Instant, error: MantleError? = nil
    ) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "mantle.operation": "\(operation.rawValue)",
            "mantle.url": "\(url)",
            "mantle.duration_ms": "\((ContinuousClock.now - started).wholeMilliseconds)",
        ]
        if let error {
            metadata["error"] = "\(error)"
            metadata["error.classification"] = "\(error.classification.rawValue)"
        }
        return metadata
    }

    private func responseURL(id: String, model: String, suffix: String) throws(MantleError) -> String {
        let prefix = try MantleModel.requireResponses(model)
        return endpoint.url(prefix, "/responses/" + (try Self.pathSegment(id, param: "response_id")) + suffix)
    }

    /// Refuses ids that would change the route (`/`, `?`, `..`): ids are `resp_…`/`proj_…` tokens.
    static func pathSegment(_ id: String, param: String) throws(MantleError) -> String {
        // Byte by byte (a non-ASCII scalar's bytes are all ≥ 0x80, so refused): asking each scalar
        // for its Unicode `isAlphabetic` property was 1.3 % of the worker's samples (a retrieve's URL).
        let allowed = !id.isEmpty && id != "." && id != ".." && id.utf8.allSatisfy(UnreservedCharacters.contains)
        guard allowed else {
            throw .invalidRequest(param: param, "\(param) must be a non-empty id of letters, digits, '-', '_', '.' or '~'")
        }
        return id
    }

    private func encode(_ value: some Encodable, operation: MantleOperation) throws(MantleError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch {
            throw MantleError(kind: .invalidRequest, classification: .permanent, message: "cannot encode the request: \(error)", operation: operation)
        }
    }

    private func decodeResponse(_ response: HTTPResponse, operation: MantleOperation) throws(MantleError) -> MantleResponse {
        do {
            return try MantleResponse(json: response.body)
        } catch {
            throw MantleError.invalidResponse(response, operation: operation, expected: "a Response", underlying: error)
        }
    }

    private func decode<T: Decodable>(
        _ type: T.Type, _ response: HTTPResponse, operation: MantleOperation, expected: String
    ) throws(MantleError) -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw MantleError.invalidResponse(response, operation: operation, expected: expected, underlying: error)
        }
    }
}
