/// A kind of fault the simulator can inject.
public enum InjectedFaultKind: String, Codable, Sendable, CaseIterable, CodingKeyRepresentable {
    /// 429 with `Retry-After`.
    case tooManyRequests
    /// 500.
    case internalServerError
    /// 503.
    case serviceUnavailable
    /// 400 "Internal server error".
    case badRequestInternalError
    /// No answer until the client gives up.
    case hang
    /// Connection closed with no response.
    case dropConnection
    /// Response created, then the connection closed with no response.
    case createdButAnswerLost
    /// Response accepted but ends `failed`.
    case failedResponse
    /// 429 because the project's token-per-minute quota is exhausted (not drawn by rate).
    case tokenQuotaExceeded
    /// Generating routes: the model is overloaded (Anthropic's 529 `overloaded_error` on Messages,
    /// 503 `ServiceUnavailableException` on bedrock-runtime, 503 on Chat Completions).
    case overloaded
    /// Generating routes: the answer stops after about half its text and the connection closes,
    /// with no terminal event (a non-streamed request is closed unanswered after its generation time).
    case streamCut
    /// Generating routes: the stream ends after about half its text with the API's in-stream
    /// error (an `error` event, an `{"error":…}` chunk, an event-stream exception message); a
    /// non-streamed request gets a 500 after its generation time.
    case streamError

    /// The kinds chosen by a random draw, in the order their rates are laid end to end.
    public static let drawnByRate: [InjectedFaultKind] = [
        .tooManyRequests, .internalServerError, .serviceUnavailable, .badRequestInternalError,
        .hang, .dropConnection, .createdButAnswerLost, .failedResponse,
        .overloaded, .streamCut, .streamError,
    ]

    /// Whether the kind can be drawn on `route`.
    public func applies(to route: FaultRoute) -> Bool {
        switch self {
        case .createdButAnswerLost, .failedResponse: route == .create
        case .overloaded, .streamError: route.generates
        // A streamed background create is cut like a held stream (a plain create ignores it).
        case .streamCut: route.generates || route == .create
        case .tokenQuotaExceeded: false
        default: true
        }
    }

    /// Whether the kind only applies to `POST …/responses`.
    public var isCreateOnly: Bool {
        switch self {
        case .createdButAnswerLost, .failedResponse: true
        default: false
        }
    }
}
