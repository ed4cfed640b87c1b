public import HTTPClient

/// Every failure of the Mantle client: an HTTP error answer, a transport failure, a request or
/// configuration refused before sending, an unreadable answer, or a credential that cannot be loaded.
///
/// It carries what the caller needs to decide: `classification` (retry or give up), `retryAfter`,
/// `mayHaveBeenCreated` (a create whose outcome is unknown), `isUnauthorized` (mint a new key).
/// Its `description` holds the server's words and the request id but never a credential.
public struct MantleError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; a struct over a private enum so new kinds do not break callers.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case httpStatus, transport, invalidRequest, unsupportedModel, invalidResponse, credential,
                invalidConfiguration
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Mantle answered with a non-2xx status; `status`, `type`, `code`, `param` hold its details.
        public static let httpStatus = Kind(.httpStatus)
        /// No answer arrived: `transportFailure` says why (timeout, reset, DNS, …).
        public static let transport = Kind(.transport)
        /// The request was refused before sending (a limit, an empty field); `param` names the field.
        public static let invalidRequest = Kind(.invalidRequest)
        /// The model does not serve the Responses API; the message names the API it does serve.
        public static let unsupportedModel = Kind(.unsupportedModel)
        /// A 2xx answer whose body is not what the route returns.
        public static let invalidResponse = Kind(.invalidResponse)
        /// The credential could not be loaded or a key could not be minted.
        public static let credential = Kind(.credential)
        /// The endpoint or client configuration is wrong (bad base URL, unknown Region).
        public static let invalidConfiguration = Kind(.invalidConfiguration)

        /// The kind's name, e.g. `httpStatus`.
        public var description: String { base.rawValue }
    }

    /// Whether trying the same call again later can succeed.
    public enum Classification: String, Sendable, Hashable {
        /// Transient: 408, 409, 429, 5xx, timeouts, connection failures, Mantle's 4xx "internal error".
        case retryable
        /// Retrying the same call cannot help: other 4xx, invalid requests, unsupported models.
        case permanent
    }

    /// What kind of failure this is.
    public internal(set) var kind: Kind
    /// Retry or give up.
    public internal(set) var classification: Classification
    /// The call that failed, when the failure came from one.
    public internal(set) var operation: MantleOperation?
    /// What went wrong, in words (the server's `error.message` for HTTP errors).
    public internal(set) var message: String
    /// The HTTP status of an error answer.
    public internal(set) var status: Int?
    /// The error body's `type`, e.g. `invalid_request_error`.
    public internal(set) var type: String?
    /// The error body's `code`, e.g. `validation_error`, `rate_limit_exceeded`.
    public internal(set) var code: String?
    /// The request field the error is about (the server's `param`, or the field a local check refused).
    public internal(set) var param: String?
    /// The `x-request-id` of the answer, to quote to AWS support.
    public internal(set) var requestID: String?
    /// Why no answer arrived, for `.transport` errors.
    public internal(set) var transportFailure: HTTPClientError?
    /// How long the server asked us to wait (`retry-after-ms`, or `Retry-After` in seconds or as an
    /// HTTP date). Values over 120 s are kept: Longhaul reschedules the job instead of sleeping.
    public internal(set) var retryAfter: Duration?
    /// True when a create call failed in a way that leaves its outcome unknown (timeout or reset after
    /// sending, a gateway 502/504, an unreadable 2xx): the Response may exist. Mantle takes no
    /// idempotency key, so reconcile through `metadata` before resubmitting.
    public internal(set) var mayHaveBeenCreated: Bool
    /// The model an `.unsupportedModel` error is about.
    public internal(set) var model: String?

    /// True for HTTP 401: the credential may have expired (mint a new short-term key), or, on
    /// Mantle, the model is not served on this route for the account.
    public var isUnauthorized: Bool { status == 401 }

    /// True when `classification` is `.retryable`.
    public var isRetryable: Bool { classification == .retryable }

    init(
        kind: Kind, classification: Classification, message: String, operation: MantleOperation? = nil,
        status: Int? = nil, type: String? = nil, code: String? = nil, param: String? = nil,
        requestID: String? = nil, transportFailure: HTTPClientError? = nil, retryAfter: Duration? = nil,
        mayHaveBeenCreated: Bool = false, model: String? = nil
    ) {
        self.kind = kind
        self.classification = classification
        self.message = message
        self.operation = operation
        self.status = status
        self.type = type
        self.code = code
        self.param = param
        self.requestID = requestID
        self.transportFailure = transportFailure
        self.retryAfter = retryAfter
        self.mayHaveBeenCreated = mayHaveBeenCreated
        self.model = model
    }

    /// One line: the call, the status or transport failure, the server's type/code/param/message,
    /// the request id, the retry advice. No credential ever reaches any of these fields.
    public var description: String {
        var parts: [String] = []
        if let operation { parts.append("Mantle \(operation) failed") } else { parts.append("Mantle client error") }
        if let status { parts.append("HTTP \(status)") }
        if let transportFailure { parts.append("transport \(transportFailure.kind.rawValue)") }
        var details: [String] = []
        if let type { details.append("type=\(type)") }
        if let code { details.append("code=\(code)") }
        if let param { details.append("param=\(param)") }
        if !details.isEmpty { parts.append(details.joined(separator: " ")) }
        var text = parts.joined(separator: ", ") + ": " + message
        if let requestID { text += " (request id \(requestID))" }
        text += " [\(classification.rawValue)"
        if let retryAfter { text += ", retry after \(retryAfter.formattedSeconds)" }
        if mayHaveBeenCreated { text += ", the Response may have been created" }
        text += "]"
        return text
    }
}

extension MantleError {
    static func invalidConfiguration(_ message: String) -> MantleError {
        MantleError(kind: .invalidConfiguration, classification: .permanent, message: message)
    }

    static func invalidRequest(param: String, _ message: String) -> MantleError {
        MantleError(kind: .invalidRequest, classification: .permanent, message: message, param: param)
    }

    static func unsupportedModel(model: String, _ message: String) -> MantleError {
        MantleError(kind: .unsupportedModel, classification: .permanent, message: message, param: "model", model: model)
    }

    static func credential(_ message: String) -> MantleError {
        MantleError(kind: .credential, classification: .permanent, message: message)
    }

    /// The `code` of `noAWSCredentials`: the credential chain reached instance metadata for want
    /// of any configured source, and nothing answered there.
    static let noAWSCredentialsCode = "no_aws_credentials"

    static func noAWSCredentials(_ message: String) -> MantleError {
        var error = credential(message)
        error.code = noAWSCredentialsCode
        return error
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded down.
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// Seconds with up to three decimals, e.g. `1.5s`.
    var formattedSeconds: String {
        let millis = wholeMilliseconds
        return millis % 1000 == 0 ? "\(millis / 1000)s" : "\(Double(millis) / 1000)s"
    }
}
