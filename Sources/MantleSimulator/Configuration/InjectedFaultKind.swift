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

    /// The kinds chosen by a random draw, in the order their rates are laid end to end.
    public static let drawnByRate: [InjectedFaultKind] = [
        .tooManyRequests, .internalServerError, .serviceUnavailable, .badRequestInternalError,
        .hang, .dropConnection, .createdButAnswerLost, .failedResponse,
    ]

    /// Whether the kind only applies to `POST …/responses`.
    public var isCreateOnly: Bool {
        switch self {
        case .createdButAnswerLost, .failedResponse: true
        default: false
        }
    }
}
