/// `status` of a Response.
enum ResponseStatus: String, Encodable, Sendable {
    case queued, inProgress = "in_progress", completed, incomplete, failed, cancelled

    var isTerminal: Bool {
        switch self {
        case .queued, .inProgress: false
        case .completed, .incomplete, .failed, .cancelled: true
        }
    }
}
