import HTTPTypes

/// An error as bedrock-runtime answers it: the status, `x-amzn-ErrorType: <Exception>:…` and
/// the body `{"message": …}`; inside a stream, an event-stream exception message whose
/// `:exception-type` is the lower-camel name (`throttlingException`).
struct BedrockErrorBody: Error, Sendable {
    let status: HTTPResponse.Status
    /// `ValidationException`, `ThrottlingException`, …
    let exception: String
    let message: String
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status, exception: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.exception = exception
        self.message = message
        self.headers = headers
    }

    /// A refusal shared with Mantle's routes (auth, quota, faults), named as bedrock-runtime names it.
    init(_ error: MantleErrorBody) {
        let exception: String
        switch error.status.code {
        case 401, 403: exception = "AccessDeniedException"
        case 404: exception = "ResourceNotFoundException"
        case 408: exception = "ModelTimeoutException"
        case 429: exception = "ThrottlingException"
        case 503: exception = "ServiceUnavailableException"
        case 500...: exception = "InternalServerException"
        default: exception = "ValidationException"
        }
        // bedrock-runtime answers a bad credential with 403, never 401.
        let status: HTTPResponse.Status = error.status == .unauthorized ? .forbidden : error.status
        self.init(status: status, exception: exception, message: error.message, headers: error.headers)
    }

    static func validation(_ message: String) -> BedrockErrorBody {
        BedrockErrorBody(status: .badRequest, exception: "ValidationException", message: message)
    }

    /// What `invoke-with-response-stream` says of input too long for the model: no figures,
    /// and inside the stream (botocore raises it as an `EventStreamError` while iterating:
    /// aws-samples/bedrock-chat#95; the same words in aws-sdk-js-v3#6266, continuedev/continue#6005).
    static let inputTooLong = validation("Input is too long for requested model.")

    static func accessDenied(_ message: String) -> BedrockErrorBody {
        BedrockErrorBody(status: .forbidden, exception: "AccessDeniedException", message: message)
    }

    /// `ThrottlingException` → `throttlingException`, the `:exception-type` of a stream message.
    var streamExceptionType: String { exception.prefix(1).lowercased() + exception.dropFirst() }

    var json: JSONValue { ["message": .string(message)] }
}
