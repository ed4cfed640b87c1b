/// The routes that have their own fault rates.
public enum FaultRoute: String, Codable, Sendable, CaseIterable {
    /// `POST {prefix}/responses`.
    case create
    /// `GET {prefix}/responses/{id}`.
    case retrieve
    /// `POST {prefix}/responses/{id}/cancel`.
    case cancel
    /// `POST {prefix}/chat/completions`.
    case chat
    /// `POST /anthropic/v1/messages`.
    case messages
    /// bedrock-runtime's `POST /model/{id}/invoke` and `…/invoke-with-response-stream`.
    case invoke

    /// Whether the route generates text in one held request (and so can be cut mid-stream).
    public var generates: Bool {
        switch self {
        case .chat, .messages, .invoke: true
        case .create, .retrieve, .cancel: false
        }
    }
}
