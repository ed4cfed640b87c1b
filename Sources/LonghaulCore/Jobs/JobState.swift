/// Where a job is in its life. Mirrors the `job_state` enum of the database.
///
/// `running` covers Mantle's `queued` and `in_progress`; the remote status is kept beside it.
public enum JobState: String, Sendable, Codable, CaseIterable, Hashable {
    case queued
    /// A job split for map-reduce: its map and merge jobs work while it makes no call itself.
    case waitingForChildren = "waiting_for_children"
    case submitting
    case running
    case completed
    case failed
    case incomplete
    case cancelled

    /// A terminal job never moves again (except by an explicit retry of a failed or incomplete job).
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .incomplete, .cancelled: true
        case .queued, .waitingForChildren, .submitting, .running: false
        }
    }

    /// The states in which a job holds a Mantle submission (counted against `max_in_flight`).
    public var isInFlight: Bool { self == .submitting || self == .running }
}
