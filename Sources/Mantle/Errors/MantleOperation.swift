/// The client call that failed, named in `MantleError` so a log line says what was attempted.
public enum MantleOperation: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case createResponse
    case retrieveResponse
    case cancelResponse
    case deleteResponse
    case listModels
    case createProject
    case listProjects
    case retrieveProject
    case modifyProject
    case archiveProject
    /// A streamed Chat Completion (`POST /v1/chat/completions`).
    case streamChatCompletion
    /// A streamed Anthropic Message on Mantle (`POST /anthropic/v1/messages`).
    case streamMessage
    /// A streamed Anthropic Message on bedrock-runtime (`POST /model/{id}/invoke-with-response-stream`).
    case invokeModelStream

    /// The method and route template, e.g. `POST /responses`.
    public var description: String {
        switch self {
        case .createResponse: "POST /responses"
        case .retrieveResponse: "GET /responses/{id}"
        case .cancelResponse: "POST /responses/{id}/cancel"
        case .deleteResponse: "DELETE /responses/{id}"
        case .listModels: "GET /v1/models"
        case .createProject: "POST /v1/organization/projects"
        case .listProjects: "GET /v1/organization/projects"
        case .retrieveProject: "GET /v1/organization/projects/{id}"
        case .modifyProject: "POST /v1/organization/projects/{id}"
        case .archiveProject: "POST /v1/organization/projects/{id}/archive"
        case .streamChatCompletion: "POST /v1/chat/completions"
        case .streamMessage: "POST /anthropic/v1/messages"
        case .invokeModelStream: "POST /model/{id}/invoke-with-response-stream"
        }
    }
}
