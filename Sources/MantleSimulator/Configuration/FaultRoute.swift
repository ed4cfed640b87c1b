/// The routes that have their own fault rates.
public enum FaultRoute: String, Codable, Sendable, CaseIterable {
    /// `POST {prefix}/responses`.
    case create
    /// `GET {prefix}/responses/{id}`.
    case retrieve
    /// `POST {prefix}/responses/{id}/cancel`.
    case cancel
}
