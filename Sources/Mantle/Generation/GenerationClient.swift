public import Foundation
public import HTTPClient
public import Logging

/// Runs generations as held streams on the three APIs that have no background mode: Chat
/// Completions and Anthropic Messages on Mantle, Anthropic Messages on bedrock-runtime.
///
/// `stream` returns once the answer's head is in: a non-2xx answer is thrown as a classified
/// `MantleError` (429 and 529 retryable with their `retry-after`, `invalid_request_error`
/// permanent), a 2xx becomes a `GenerationStream`. Auth is `Authorization: Bearer` on every host
/// (a Bedrock API key, long-term or minted from AWS credentials, works on both); the Mantle project
/// goes as `OpenAI-Project` on chat and as `anthropic-workspace` on Messages.
public struct GenerationClient: Sendable {
    public let mantle: MantleEndpoint?
    public let runtime: BedrockRuntimeEndpoint?
    public let credentials: MantleCredentialProvider
    public let projectID: String?
    /// A stream that sends no byte for this long is cut (a dead connection, a stalled model).
    public let idleTimeout: Duration
    /// The longest one generation may stream.
    public let maxDuration: Duration
    private let http: HTTPClient
    private let logger: Logger
    private let now: @Sendable () -> Date

    public init(
        mantle: MantleEndpoint?, runtime: BedrockRuntimeEndpoint?, credentials: MantleCredentialProvider, projectID: String?,
        http: HTTPClient, idleTimeout: Duration = .seconds(120), maxDuration: Duration = .seconds(4 * 3600),
        logger: Logger = Logger(label: "longhaul.generation"), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.mantle = mantle
        self.runtime = runtime
        self.credentials = credentials
        self.projectID = projectID.flatMap { $0.isEmpty ? nil : $0 }
        self.idleTimeout = idleTimeout
        self.maxDuration = maxDuration
        self.http = http
        self.logger = logger
        self.now = now
    }

    /// Sends `request` on `api` and returns its stream once the answer's head is in.
    public func stream(_ request: GenerationRequest, via api: GenerationAPI) async throws(MantleError) -> GenerationStream {
        let body = try request.body(for: api)  // refuses .responses
        guard let wire = api.wire else { throw .invalidRequest(param: "api", "\(api) is not a streamed API") }
        let token = try await credentials.bearerToken()
        var headers: HTTPHeaders = ["Authorization": "Bearer " + token, "Content-Type": "application/json"]
        let url: String
        let operation: MantleOperation
        switch api {
        case .chatCompletions:
            url = try mantleEndpoint(for: api).url(.v1, "/chat/completions")
            operation = .streamChatCompletion
            headers["Accept"] = "text/event-stream"
            if let projectID { headers["OpenAI-Project"] = projectID }
        case .anthropicMessages:
            url = try mantleEndpoint(for: api).url(.anthropicV1, "/messages")
            operation = .streamMessage
            headers["Accept"] = "text/event-stream"
            headers["anthropic-version"] = GenerationRequest.anthropicVersion
            if let projectID { headers["anthropic-workspace"] = projectID }
        case .bedrockRuntime:
            guard let runtime else {
                throw .invalidConfiguration(
                    "model '\(request.model)' runs on bedrock-runtime, but the project has no bedrock-runtime Region; set one")
            }
            url = try runtime.invokeWithResponseStreamURL(model: request.model)
            operation = .invokeModelStream
            headers["Accept"] = "application/vnd.amazon.eventstream"
        case .responses:
            throw .invalidRequest(param: "api", "\(api) is not a streamed API")
        }
        let httpRequest = HTTPRequest(
            method: .post, url: url, headers: headers, body: body, timeout: maxDuration, connectTimeout: .seconds(10),
            idleTimeout: idleTimeout)
        let response = try await http.openStream(httpRequest, operation: operation, credentials: credentials, now: now(), logger: logger)
        return GenerationStream(body: response.body, wire: wire)
    }

    private func mantleEndpoint(for api: GenerationAPI) throws(MantleError) -> MantleEndpoint {
        guard let mantle else {
            throw .invalidConfiguration("\(api) runs on Mantle, but the project has no Mantle endpoint; set its Region or base URL")
        }
        return mantle
    }
}
