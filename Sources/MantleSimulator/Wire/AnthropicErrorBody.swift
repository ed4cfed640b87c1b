import HTTPTypes

/// An error in Anthropic's envelope, as Mantle's `/anthropic/v1/messages` answers it:
/// `{"type":"error","error":{"type":"invalid_request_error","message":…}}` (`shared/models.md`).
struct AnthropicErrorBody: Error, Sendable {
    let status: HTTPResponse.Status
    let type: String
    let message: String
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status, type: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.type = type
        self.message = message
        self.headers = headers
    }

    /// A refusal shared with the OpenAI-compatible routes (auth, project, quota, faults), with
    /// its status, message and headers (`retry-after`), typed as Anthropic types its statuses.
    init(_ error: MantleErrorBody) {
        self.init(status: error.status, type: Self.type(of: error.status), message: error.message, headers: error.headers)
    }

    static func type(of status: HTTPResponse.Status) -> String {
        switch status.code {
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 529: "overloaded_error"
        case 500...: "api_error"
        default: "invalid_request_error"
        }
    }

    static func invalidRequest(_ message: String) -> AnthropicErrorBody {
        AnthropicErrorBody(status: .badRequest, type: "invalid_request_error", message: message)
    }

    /// HTTP 529, Anthropic's "overloaded" (not an IANA status; HTTPTypes carries any code).
    static let overloaded = AnthropicErrorBody(
        status: .init(code: 529, reasonPhrase: "Overloaded"), type: "overloaded_error", message: "Overloaded")

    var json: JSONValue { ["type": "error", "error": ["type": .string(type), "message": .string(message)]] }
}
