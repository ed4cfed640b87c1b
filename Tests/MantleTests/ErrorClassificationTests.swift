import Foundation
import HTTPClient
import Testing

@testable import Mantle

/// One row of `shared/mantle-api.md` §5 (and the statuses §10 names), with what the client must make of it.
struct RecordedError: CustomTestStringConvertible, Sendable {
    var name: String
    var status: Int
    var body: String
    var headers: [(String, String)] = []
    var classification: MantleError.Classification
    var type: String? = nil
    var code: String? = nil
    var messageContains: String

    var testDescription: String { "\(status) \(name)" }

    static let rows: [RecordedError] = [
        RecordedError(
            name: "wrong path prefix for the model",
            status: 400,
            body: #"{"error":{"type":"invalid_request_error","code":"validation_error","message":"model `openai.gpt-oss-120b` isn't supported on this route","param":null}}"#,
            classification: .permanent, type: "invalid_request_error", code: "validation_error",
            messageContains: "isn't supported on this route"),
        RecordedError(
            name: "gpt-oss on /openai/v1",
            status: 400,
            body: #"{"error":{"code":"validation_error","message":"The model 'openai.gpt-oss-120b' is not supported by this endpoint."}}"#,
            classification: .permanent, code: "validation_error", messageContains: "The model 'openai.gpt-oss-120b'"),
        RecordedError(
            name: "model lacks the Responses API",
            status: 400,
            body: #"{"error":{"type":"invalid_request_error","code":null,"message":"The model 'openai.gpt-oss-safeguard-20b' does not support the '/v1/responses' API","param":"model"}}"#,
            classification: .permanent, type: "invalid_request_error",
            messageContains: "does not support the '/v1/responses' API"),
        RecordedError(
            name: "model lacks the Messages API",
            status: 400,
            body: #"{"error":{"type":"invalid_request_error","message":"The model 'openai.gpt-5.5' does not support the '/anthropic/v1/messages' API"}}"#,
            classification: .permanent, type: "invalid_request_error", messageContains: "'/anthropic/v1/messages'"),
        RecordedError(
            name: "Qwen on Responses",
            status: 400,
            body: #"{"error":{"type":"invalid_request_error","message":"The model 'qwen.qwen3-32b' does not support this API"}}"#,
            classification: .permanent, messageContains: "does not support this API"),
        RecordedError(
            name: "model on the wrong path, seen as auth",
            status: 401,
            body: #"{"error":{"type":"authentication_error","code":"access_denied","message":"Model google.gemma-4-27b is not enabled for this account (access_denied)"}}"#,
            classification: .permanent, code: "access_denied", messageContains: "not enabled for this account"),
        RecordedError(
            name: "other endpoint's model id (inner object alone)",
            status: 400,
            body: #"{"type":"invalid_request_error","code":"validation_error","message":"The provided model identifier is invalid."}"#,
            classification: .permanent, type: "invalid_request_error", code: "validation_error",
            messageContains: "The provided model identifier is invalid"),
        RecordedError(
            name: "unknown response id",
            status: 404,
            body: #"{"error":{"type":"invalid_request_error","message":"Response not found."}}"#,
            classification: .permanent, messageContains: "Response not found."),
        RecordedError(
            name: "unstored response id",
            status: 404,
            body: #"{"error":{"type":"invalid_request_error","message":"Response 'resp_0a1b2c3d' not found.","param":null,"code":null}}"#,
            classification: .permanent, messageContains: "Response 'resp_0a1b2c3d' not found."),
        RecordedError(
            name: "model that does not exist",
            status: 404,
            body: #"{"error":{"message":"The model doesn't exist or doesn't support this API"}}"#,
            classification: .permanent, messageContains: "doesn't exist"),
        RecordedError(
            name: "missing model",
            status: 400,
            body: #"{"error":{"type":"invalid_request_error","message":"Missing required parameter: 'model'.","param":"model","code":"missing_required_parameter"}}"#,
            classification: .permanent, code: "missing_required_parameter", messageContains: "Missing required parameter"),
        RecordedError(
            name: "bad enum in the body",
            status: 400,
            body: #"{"error":{"message":"Failed to deserialize the JSON body into the target type: data_retention.mode: unknown variant `forever`"}}"#,
            classification: .permanent, messageContains: "Failed to deserialize the JSON body"),
        RecordedError(
            name: "server fault as 4xx, API Gateway body",
            status: 400, body: #"{"message":"Internal server error"}"#,
            classification: .retryable, messageContains: "Internal server error"),
        RecordedError(
            name: "server fault as 4xx, envelope",
            status: 424,
            body: #"{"error":{"type":"invalid_request_error","message":"An internal failure occurred; try again."}}"#,
            classification: .retryable, messageContains: "internal failure"),
        RecordedError(
            name: "server fault as 4xx, plain text",
            status: 403, body: "Internal Error", classification: .retryable, messageContains: "Internal Error"),
        RecordedError(
            name: "throttled",
            status: 429,
            body: #"{"error":{"type":"rate_limit_error","code":"rate_limit_exceeded","message":"Too many tokens, please wait before trying again."}}"#,
            classification: .retryable, type: "rate_limit_error", code: "rate_limit_exceeded", messageContains: "Too many tokens"),
        RecordedError(
            name: "quota exhausted needs a person",
            status: 429,
            body: #"{"error":{"type":"insufficient_quota","code":"insufficient_quota","message":"You exceeded your current quota"}}"#,
            classification: .permanent, code: "insufficient_quota", messageContains: "quota"),
        RecordedError(
            name: "capacity exceeded",
            status: 503, body: #"{"error":{"type":"service_unavailable_error","code":"CapacityExceeded","message":"Capacity exceeded"}}"#,
            classification: .retryable, code: "CapacityExceeded", messageContains: "Capacity"),
        RecordedError(
            name: "server error", status: 500, body: #"{"error":{"type":"server_error","message":"The server had an error"}}"#,
            classification: .retryable, type: "server_error", messageContains: "server had an error"),
        RecordedError(
            name: "bad gateway, HTML", status: 502, body: "<html><body>502 Bad Gateway</body></html>",
            classification: .retryable, messageContains: "502 Bad Gateway"),
        RecordedError(
            name: "gateway timeout, empty", status: 504, body: "", classification: .retryable,
            messageContains: "HTTP 504 with an empty body"),
        RecordedError(
            name: "overloaded", status: 529, body: #"{"message":"Overloaded"}"#, classification: .retryable,
            messageContains: "Overloaded"),
        RecordedError(
            name: "request timeout", status: 408, body: #"{"error":{"message":"Request timed out"}}"#,
            classification: .retryable, messageContains: "timed out"),
        RecordedError(
            name: "conflict", status: 409, body: #"{"error":{"message":"Response is not in a cancellable state"}}"#,
            classification: .retryable, messageContains: "cancellable"),
        RecordedError(
            name: "forbidden", status: 403,
            body: #"{"error":{"type":"permission_error","message":"User is not authorized to perform: bedrock-mantle:CreateInference"}}"#,
            classification: .permanent, messageContains: "not authorized"),
        RecordedError(
            name: "server advice overrides the status", status: 400, body: #"{"error":{"message":"try again"}}"#,
            headers: [("x-should-retry", "true")], classification: .retryable, messageContains: "try again"),
        RecordedError(
            name: "server advice not to retry", status: 503, body: #"{"error":{"message":"maintenance"}}"#,
            headers: [("X-Should-Retry", "false")], classification: .permanent, messageContains: "maintenance"),
    ]
}

@Suite struct ErrorClassificationTests {
    @Test(arguments: RecordedError.rows)
    func recordedErrorBodiesAreReadAndClassified(row: RecordedError) {
        var headers: HTTPHeaders = ["x-request-id": "req_7f3a"]
        for (name, value) in row.headers { headers.add(name: name, value: value) }
        let response = HTTPResponse(status: row.status, headers: headers, body: Data(row.body.utf8))
        let error = MantleError.http(response, operation: .retrieveResponse, now: Date())
        #expect(error.kind == .httpStatus)
        #expect(error.status == row.status)
        #expect(error.classification == row.classification)
        #expect(error.isRetryable == (row.classification == .retryable))
        if let type = row.type { #expect(error.type == type) }
        if let code = row.code { #expect(error.code == code) }
        #expect(error.message.contains(row.messageContains), "message was: \(error.message)")
        #expect(error.requestID == "req_7f3a")
        #expect(error.isUnauthorized == (row.status == 401))
        #expect(!error.mayHaveBeenCreated, "a retrieve never creates")
        #expect(error.description.contains("HTTP \(row.status)"))
        #expect(error.description.contains("req_7f3a"))
    }

    @Test func paramIsKept() {
        let body = #"{"error":{"type":"invalid_request_error","message":"Missing required parameter: 'model'.","param":"model","code":null}}"#
        let error = MantleError.http(HTTPResponse(status: 400, headers: [:], body: Data(body.utf8)), operation: .createResponse, now: Date())
        #expect(error.param == "model")
        #expect(error.code == nil)
    }

    @Test(arguments: [
        (HTTPClientError.Kind.timeout, MantleError.Classification.retryable, true),
        (.connectionReset, .retryable, true),
        (.connectTimeout, .retryable, false),
        (.connectionRefused, .retryable, false),
        (.dnsFailure, .retryable, false),
        (.tlsFailure, .retryable, false),
        (.responseTooLarge, .permanent, true),
        (.invalidRequest, .permanent, false),
        (.other, .retryable, true),
    ])
    func transportFailures(kind: HTTPClientError.Kind, classification: MantleError.Classification, mayHaveBeenCreated: Bool) {
        let failure = HTTPClientError(kind: kind, message: "curl said so", url: "https://bedrock-mantle.us-east-1.api.aws/v1/responses")
        let create = MantleError.transport(failure, operation: .createResponse)
        #expect(create.kind == .transport)
        #expect(create.classification == classification)
        #expect(create.mayHaveBeenCreated == mayHaveBeenCreated)
        #expect(create.transportFailure == failure)
        #expect(create.status == nil)
        // The same failure on a poll can never have created anything.
        #expect(!MantleError.transport(failure, operation: .retrieveResponse).mayHaveBeenCreated)
    }

    @Test func gatewayFailuresOfACreateMayHaveCreated() {
        for status in [502, 504] {
            let error = MantleError.http(HTTPResponse(status: status, headers: [:], body: Data()), operation: .createResponse, now: Date())
            #expect(error.mayHaveBeenCreated)
            #expect(error.isRetryable)
        }
        let throttled = MantleError.http(HTTPResponse(status: 429, headers: [:], body: Data()), operation: .createResponse, now: Date())
        #expect(!throttled.mayHaveBeenCreated)
    }

    @Test func bedrockRuntimeAnswerIsRecognised() {
        let response = HTTPResponse(status: 200, headers: [:], body: Data(RecordedBodies.bedrockRuntimeUnknownOperation.utf8))
        let underlying: any Error
        do {
            _ = try MantleResponse(json: response.body)
            Issue.record("bedrock-runtime's Coral error must not decode as a Response")
            return
        } catch { underlying = error }
        let error = MantleError.invalidResponse(response, operation: .createResponse, expected: "a Response", underlying: underlying)
        #expect(error.kind == .invalidResponse)
        #expect(error.message.contains("bedrock-runtime"))
        #expect(error.message.contains("missing 'id'"))
        #expect(error.mayHaveBeenCreated)
    }
}
