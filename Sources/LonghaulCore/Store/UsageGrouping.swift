/// How a usage report groups terminal jobs.
public enum UsageGrouping: Sendable, Equatable {
    /// By model id.
    case model
    /// By the UTC day the job finished (`YYYY-MM-DD`).
    case day
    /// By the value of a tag: the job's metadata first, then its project's tags.
    case tag(String)

    /// Reads `model`, `day` or `tag:KEY` (as `--group-by` and `?group_by=` spell it).
    public init(parsing text: String) throws(ValidationError) {
        switch text {
        case "model": self = .model
        case "day": self = .day
        case _ where text.hasPrefix("tag:") && text.count > 4 && text.count <= 132:
            self = .tag(String(text.dropFirst(4)))
        default:
            throw ValidationError(
                field: "group_by", code: "invalid",
                message: "'\(text.prefix(80))' is not a grouping; use model, day or tag:KEY (e.g. tag:customer)")
        }
    }

    /// The spelling `init(parsing:)` reads.
    public var name: String {
        switch self {
        case .model: "model"
        case .day: "day"
        case .tag(let key): "tag:\(key)"
        }
    }
}
