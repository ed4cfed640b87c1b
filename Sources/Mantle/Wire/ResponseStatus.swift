/// The `status` of a Response. Values this client does not know decode as `.unknown`, never fail.
public enum ResponseStatus: Sendable, Hashable, Codable, CustomStringConvertible {
    case queued
    case inProgress
    case completed
    case failed
    case incomplete
    case cancelled
    /// A status added after this client was written; treated as still running.
    case unknown(String)

    /// The status for a wire value.
    public init(rawValue: String) {
        switch rawValue {
        case "queued": self = .queued
        case "in_progress": self = .inProgress
        case "completed": self = .completed
        case "failed": self = .failed
        case "incomplete": self = .incomplete
        case "cancelled": self = .cancelled
        default: self = .unknown(rawValue)
        }
    }

    /// The wire value, e.g. `in_progress`.
    public var rawValue: String {
        switch self {
        case .queued: "queued"
        case .inProgress: "in_progress"
        case .completed: "completed"
        case .failed: "failed"
        case .incomplete: "incomplete"
        case .cancelled: "cancelled"
        case .unknown(let value): value
        }
    }

    /// True for `completed`, `failed`, `incomplete` and `cancelled`: the Response will not change again.
    ///
    /// `queued`, `in_progress` and unknown statuses are not terminal, so polling goes on (the
    /// poller's own age cap bounds an unknown status that never ends).
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .incomplete, .cancelled: true
        case .queued, .inProgress, .unknown: false
        }
    }

    /// Reads any string.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    /// Writes the wire value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The wire value.
    public var description: String { rawValue }
}
