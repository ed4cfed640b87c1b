public import Logging
import Synchronization

/// The endpoints and models that refused to stream a background Response, or to resume one,
/// remembered for the life of the process (a refusal is a property of the endpoint and model,
/// not of one request) and logged once each, so a refusing endpoint costs one extra call, not
/// one per job.
public final class StreamRefusals: Sendable {
    /// What was refused.
    public enum Kind: String, Sendable {
        case backgroundStream = "background+stream"
        case resume = "stream resume"
    }

    private let refused = Mutex<Set<String>>([])

    public init() {}

    public func isRefused(_ kind: Kind, endpoint: String, model: String) -> Bool {
        refused.withLock { $0.contains(Self.key(kind, endpoint, model)) }
    }

    /// Remembers a refusal; logs it the first time.
    public func record(_ kind: Kind, endpoint: String, model: String, detail: String, logger: Logger) {
        let first = refused.withLock { $0.insert(Self.key(kind, endpoint, model)).inserted }
        guard first else { return }
        logger.notice(
            "the endpoint refuses \(kind.rawValue) for this model; its Responses are polled instead",
            metadata: ["endpoint": "\(endpoint)", "model": "\(model)", "error": "\(detail)"])
    }

    private static func key(_ kind: Kind, _ endpoint: String, _ model: String) -> String {
        "\(kind.rawValue) \(endpoint) \(model)"
    }
}
