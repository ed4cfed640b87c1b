import HTTPTypes
import Hummingbird

/// An error answer in Mantle's envelope: `{"error":{"message","type","param","code"}}`.
struct MantleErrorBody: Error, Sendable {
    let status: HTTPResponse.Status
    let message: String
    let type: String
    let param: String?
    let code: String?
    var headers: HTTPFields = [:]

    struct Envelope: Encodable {
        struct Inner: Encodable {
            let message: String
            let type: String
            let param: String?
            let code: String?

            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(message, forKey: .message)
                try c.encode(type, forKey: .type)
                try c.encode(param, forKey: .param)  // all four keys are required, null included
                try c.encode(code, forKey: .code)
            }

            enum CodingKeys: String, CodingKey { case message, type, param, code }
        }

        let error: Inner
    }

    var envelope: Envelope { Envelope(error: .init(message: message, type: type, param: param, code: code)) }
}

extension MantleErrorBody {
    static func invalidRequest(
        _ message: String,
        param: String? = nil,
        code: String? = nil,
        status: HTTPResponse.Status = .badRequest
    ) -> MantleErrorBody {
        MantleErrorBody(status: status, message: message, type: "invalid_request_error", param: param, code: code)
    }

    static func responseNotFound(_ id: String) -> MantleErrorBody {
        .invalidRequest("Response '\(id)' not found.", code: "not_found", status: .notFound)
    }

    static func projectNotFound(_ id: String) -> MantleErrorBody {
        .invalidRequest("Project '\(id)' not found.", code: "not_found", status: .notFound)
    }

    static func deserialization(_ detail: String) -> MantleErrorBody {
        .invalidRequest("Failed to deserialize the JSON body into the target type: \(detail)", code: "validation_error")
    }

    static let missingModel = MantleErrorBody.invalidRequest(
        "Missing required parameter: 'model'.",
        param: "model",
        code: "missing_required_parameter"
    )

    static func unauthorized(_ message: String) -> MantleErrorBody {
        .invalidRequest(message, code: "invalid_api_key", status: .unauthorized)
    }

    static func rateLimited(_ message: String, retryAfterSeconds: Double, code: String) -> MantleErrorBody {
        var error = MantleErrorBody(
            status: .tooManyRequests,
            message: message,
            type: "rate_limit_error",
            param: nil,
            code: code
        )
        // `retry-after-ms` is read first by the OpenAI SDKs, so a compressed-time simulator can ask
        // for waits below a second; `Retry-After` stays a whole number of seconds ≥ 1 per RFC 9110.
        let milliseconds = max(1, Int((retryAfterSeconds * 1000).rounded(.up)))
        error.headers[.retryAfter] = String(max(1, Int(retryAfterSeconds.rounded(.up))))
        if let name = HTTPField.Name("retry-after-ms") { error.headers[name] = String(milliseconds) }
        return error
    }

    static let internalServerError = MantleErrorBody(
        status: .internalServerError,
        message: "The server had an error while processing your request. Sorry about that!",
        type: "server_error",
        param: nil,
        code: "server_error"
    )

    static let serviceUnavailable = MantleErrorBody(
        status: .serviceUnavailable,
        message: "The model is overloaded (CapacityExceeded). Please retry your request later.",
        type: "service_unavailable_error",
        param: nil,
        code: "service_unavailable"
    )

    /// Mantle sometimes reports a server fault as a 4xx whose message is just this.
    static let badRequestInternalError = MantleErrorBody(
        status: .badRequest,
        message: "Internal server error",
        type: "invalid_request_error",
        param: nil,
        code: nil
    )
}
