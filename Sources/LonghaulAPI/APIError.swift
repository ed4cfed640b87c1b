import Foundation
import HTTPTypes
import LonghaulCore
import OpenAPIRuntime
import Postgres

/// A refusal in the one shape every route answers with:
/// `{"error": {"type", "code", "message", "param"}}` and the status that goes with its kind.
struct APIError: Error, Sendable, Equatable, HTTPResponseConvertible, CustomStringConvertible {
    /// The error's family, the `type` field; each has one HTTP status.
enum Kind: String, Sendable {
        case invalidRequest = "invalid_request_error"
        case authentication = "authentication_error"
        case permission = "permission_error"
        case notFound = "not_found_error"
        case conflict = "conflict_error"
        case requestTooLarge = "request_too_large"
        case unsupportedMediaType = "unsupported_media_type"
        case upstream = "upstream_error"
        case unavailable = "service_unavailable"
        case server = "server_error"

        var status: HTTPResponse.Status {
            switch self {
            case .invalidRequest: .badRequest
            case .authentication: .unauthorized
            case .permission: .forbidden
            case .notFound: .notFound
            case .conflict: .conflict
            case .requestTooLarge: .contentTooLarge
            case .unsupportedMediaType: .unsupportedMediaType
            case .upstream: .badGateway
            case .unavailable: .serviceUnavailable
            case .server: .internalServerError
            }
        }
    }

var kind: Kind
    /// The rule that was broken, e.g. `too_large`, `unsupported_model`, `invalid_json`.
var code: String
var message: String
    /// The request field at fault, when there is one.
var param: String?
    /// Extra response headers (`WWW-Authenticate`, `Retry-After`, `Allow`).
var headers: HTTPFields
    /// A status other than the kind's own (405 is an invalid request with its own status).
    var statusOverride: HTTPResponse.Status?

init(_ kind: Kind, code: String, _ message: String, param: String? = nil, headers: HTTPFields = [:]) {
        self.kind = kind
        self.code = code
        self.message = message
        self.param = param
        self.headers = headers
    }

var description: String { "\(kind.rawValue) \(code)\(param.map { " (\($0))" } ?? ""): \(message)" }

    // MARK: The common refusals

    static func invalid(_ param: String?, code: String = "invalid", _ message: String) -> APIError {
        APIError(.invalidRequest, code: code, message, param: param)
    }

    static func notFound(_ what: String) -> APIError {
        APIError(.notFound, code: "not_found", "\(what) does not exist (or belongs to another project)")
    }

    static func adminOnly(_ action: String) -> APIError {
        APIError(.permission, code: "admin_only", "only the admin token may \(action)")
    }

    static func unauthorized(_ message: String, tokenGiven: Bool) -> APIError {
        let challenge = tokenGiven ? #"Bearer realm="longhaul", error="invalid_token""# : #"Bearer realm="longhaul""#
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = challenge
        return APIError(.authentication, code: tokenGiven ? "invalid_token" : "missing_token", message, headers: headers)
    }

    static let databaseUnavailable: APIError = {
        var headers = HTTPFields()
        headers[.retryAfter] = "5"
        return APIError(.unavailable, code: "database_unavailable", "the database cannot be reached; retry in a few seconds", headers: headers)
    }()

    static let internalError = APIError(
        .server, code: "internal_error", "something went wrong on our side; it has been logged. Retry, or report it if it persists")

    // MARK: HTTPResponseConvertible

var httpStatus: HTTPResponse.Status { statusOverride ?? kind.status }

var httpHeaderFields: HTTPFields {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return fields
    }

var httpBody: HTTPBody? { HTTPBody(jsonBody) }

    /// The serialized body.
var jsonBody: Data {
        var fields = ["type": kind.rawValue, "code": code, "message": message]
        if let param { fields["param"] = param }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(["error": fields])) ?? Data(#"{"error":{"type":"server_error","code":"internal_error","message":"error encoding failed"}}"#.utf8)
    }
}

extension APIError {
    /// The API's view of any error a handler or the generated code threw; nil when it is a bug (a 500).
    static func translating(_ error: any Error) -> APIError? {
        switch error {
        case let error as APIError:
            return error
        case let error as ServerError:
            return translating(serverError: error)
        case let error as ValidationError:
            return .invalid(error.field, code: error.code, error.message)
        case let error as StoreError:
            switch error {
            case .notFound(let what): return APIError(.notFound, code: "not_found", "\(what) (or it belongs to another project)")
            case .conflict(let message): return APIError(.conflict, code: "conflict", message)
            case .invalid(let field, let message): return .invalid(field, message)
            }
        case let error as DecodingError:
            return translating(decodingError: error)
        case let error as InvalidDate:
            return .invalid(nil, code: "invalid_date", error.description)
        case let error as PostgresError where error.kind == .encoding:
            // Text PostgreSQL cannot hold (a NUL character) in a parameter or a path.
            return .invalid(nil, code: "binary", "a value in the request contains a NUL character; send text")
        case let error as PostgresError where error.isConnectionProblem || error.kind == .shutdown:
            return .databaseUnavailable
        case let error as PostgresError where error.sqlState?.hasPrefix("22") == true:
            // A data exception (a NUL character, a number out of range): the input's fault.
            return .invalid(error.column, code: "unstorable_value", "a value in the request cannot be stored: \(error.message)")
        default:
            return nil
        }
    }

    /// What the generated code reported: a body that did not decode, a missing parameter, the
    /// wrong content type — or a handler's own error.
    private static func translating(serverError: ServerError) -> APIError? {
        if let known = translating(serverError.underlyingError) { return known }
        let status = serverError.httpStatus
        switch status.code {
        case 415:
            return APIError(.unsupportedMediaType, code: "unsupported_media_type", "send the body as application/json (Content-Type: application/json)")
        case 400..<500:
            return APIError(.invalidRequest, code: "invalid_request", serverError.causeDescription)
        default:
            return nil
        }
    }

    /// A body that is not the JSON the route takes: which field, and what is wrong with it.
    static func translating(decodingError: DecodingError) -> APIError {
        func path(_ codingPath: [any CodingKey], appending key: (any CodingKey)? = nil) -> String? {
            let keys = codingPath + (key.map { [$0] } ?? [])
            guard !keys.isEmpty else { return nil }
            var text = ""
            for key in keys {
                if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == "\(index)" {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text
        }
        switch decodingError {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath, appending: key) ?? key.stringValue
            return .invalid(field, code: "missing", "'\(field)' is required")
        case .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return .invalid(field, code: "null", "'\(field ?? "the body")' must not be null")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return .invalid(field, code: "wrong_type", "'\(field ?? "the body")' must be \(jsonTypeName(type))")
        case .dataCorrupted(let context):
            guard let field = path(context.codingPath) else {
                return .invalid(nil, code: "invalid_json", "the body is not valid JSON (UTF-8): \(shortened(underlyingDescription(context)))")
            }
            if context.debugDescription.contains("Additional properties") || context.debugDescription.contains("additional properties") {
                return .invalid(field, code: "unknown_field", shortened(context.debugDescription))
            }
            return .invalid(field, code: "invalid_value", "'\(field)': \(shortened(context.debugDescription))")
        @unknown default:
            return .invalid(nil, code: "invalid_json", "the body could not be read as the JSON this route takes")
        }
    }

    private static func underlyingDescription(_ context: DecodingError.Context) -> String {
        if let underlying = context.underlyingError { return "\(underlying)" }
        return context.debugDescription
    }

    private static func shortened(_ text: String) -> String {
        text.count > 300 ? String(text.prefix(300)) + "…" : text
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        default:
            "\(type)".hasPrefix("Array") ? "an array" : ("\(type)".hasPrefix("Dictionary") ? "an object" : "a \(type)")
        }
    }
}
