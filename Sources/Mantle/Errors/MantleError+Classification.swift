import Foundation
import HTTPClient

extension MantleError {
    /// Phrases by which Mantle reports a server fault under a 4xx status (the aws-samples helper's
    /// `_SERVER_FAULT_TEXT`, `shared/mantle-api.md` §5); such answers are transient.
    static let serverFaultPhrases = ["internal server error", "internal failure", "internal error"]

    /// The error for a non-2xx answer, classified.
    static func http(_ response: HTTPResponse, operation: MantleOperation, now: Date) -> MantleError {
        let body = APIErrorBody(body: response.body)
        let status = response.status
        let message = body.message ?? "HTTP \(status) with an empty body"
        let lowered = message.lowercased()
        let serverFault = serverFaultPhrases.contains { lowered.contains($0) }
        var classification: Classification
        switch status {
        case 408, 409, 429, 500...599: classification = .retryable
        case 400...499: classification = serverFault ? .retryable : .permanent
        default: classification = .permanent  // a 3xx (redirects are not followed) or a 1xx
        }
        // "You exceeded your current quota" needs a person, not a retry.
        if status == 429, body.code == "insufficient_quota" || body.type == "insufficient_quota" {
            classification = .permanent
        }
        // The server's explicit advice wins, as in openai-python's _should_retry.
        switch response.headers["x-should-retry"]?.lowercased() {
        case "true": classification = .retryable
        case "false": classification = .permanent
        default: break
        }
        return MantleError(
            kind: .httpStatus,
            classification: classification,
            message: message,
            operation: operation,
            status: status,
            type: body.type,
            code: body.code,
            param: body.param,
            requestID: response.headers["x-request-id"] ?? response.headers["x-amzn-requestid"],
            retryAfter: RetryAfter.parse(response.headers, now: now),
            // A gateway that timed out or lost the backend may have forwarded the create.
            mayHaveBeenCreated: operation == .createResponse && (status == 502 || status == 504)
        )
    }

    /// The error for a request that got no answer, classified.
    static func transport(_ failure: HTTPClientError, operation: MantleOperation) -> MantleError {
        let classification: Classification
        let mayHaveBeenSent: Bool
        switch failure.kind {
        case .connectTimeout, .connectionRefused, .dnsFailure, .tlsFailure:
            // Nothing reached the server: safe to retry, nothing created.
            classification = .retryable
            mayHaveBeenSent = false
        case .timeout, .idleTimeout, .connectionReset, .other, .cancelled, .shutdown:
            classification = .retryable
            mayHaveBeenSent = true
        case .responseTooLarge:
            // The server answered (so a create succeeded), but retrying fetches the same size again.
            classification = .permanent
            mayHaveBeenSent = true
        case .invalidRequest:
            classification = .permanent
            mayHaveBeenSent = false
        }
        return MantleError(
            kind: .transport,
            classification: classification,
            message: failure.message,
            operation: operation,
            transportFailure: failure,
            mayHaveBeenCreated: operation == .createResponse && mayHaveBeenSent
        )
    }

    /// The error for a 2xx answer whose body is not what `operation` returns.
    static func invalidResponse(
        _ response: HTTPResponse, operation: MantleOperation, expected: String, underlying: any Error
    ) -> MantleError {
        var message = "the \(response.status) answer is not \(expected): \(Self.summary(of: underlying))"
        // bedrock-runtime answers an unknown route with 200 and a Coral error (mantle-api.md §5).
        if APIErrorBody(body: response.body).type?.contains("UnknownOperationException") == true
            || String(decoding: response.body.prefix(512), as: UTF8.self).contains("UnknownOperationException")
        {
            message += "; this is bedrock-runtime's UnknownOperationException, so the base URL points at "
                + "bedrock-runtime instead of Mantle (https://bedrock-mantle.{region}.api.aws)"
        }
        return MantleError(
            kind: .invalidResponse,
            classification: .permanent,
            message: message,
            operation: operation,
            status: response.status,
            requestID: response.headers["x-request-id"],
            mayHaveBeenCreated: operation == .createResponse
        )
    }

    /// A short account of a decoding error: the path and what was wrong, never the body.
    static func summary(of error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return String(describing: error) }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the top level" : keys.joined(separator: ".")
        }
        switch decoding {
        case .keyNotFound(let key, let context): return "missing '\(key.stringValue)' at \(path(context))"
        case .valueNotFound(_, let context): return "null at \(path(context))"
        case .typeMismatch(_, let context): return "wrong type at \(path(context))"
        case .dataCorrupted(let context): return "invalid JSON at \(path(context))"
        @unknown default: return "undecodable"
        }
    }
}
