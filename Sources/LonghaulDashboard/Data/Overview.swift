import Foundation
import LonghaulCore

/// What the overview shows of one project.
struct ProjectOverview: Sendable, Equatable {
    var slug: String
    /// The tokens-per-minute budget (input + `max_output_tokens` per rolling minute); nil: none.
    var tokensPerMinute: Int?
    var paused: String?
    /// Unfinished jobs by state (from the partial indexes: cheap however many jobs ended).
    var unfinished: [JobState: Int] = [:]
    /// How long the oldest due queued job has waited.
    var queueLagSeconds: Double = 0
    /// Jobs that ended in the last 24 hours, by state.
    var endedToday: [JobState: Int] = [:]
    /// Failed or incomplete in the last 24 hours, by error code.
    var errors: [(code: String, count: Int)] = []
    /// Per minute over the window, oldest first.
    var minutes: [MinuteSample] = []

    static func == (a: ProjectOverview, b: ProjectOverview) -> Bool {
        a.slug == b.slug && a.unfinished == b.unfinished && a.endedToday == b.endedToday && a.minutes == b.minutes
            && a.errors.map(\.code) == b.errors.map(\.code) && a.errors.map(\.count) == b.errors.map(\.count)
    }
}

/// One minute of a project's work.
struct MinuteSample: Sendable, Equatable {
    /// Minutes before now (0: this minute).
    var minutesAgo: Int
    /// Jobs that ended in it.
    var ended: Int
    /// What submissions claimed of the budget in it: estimated input + `max_output_tokens`.
    var budgetTokens: Int
    /// Tokens Mantle reported for the jobs that ended in it.
    var usedTokens: Int
}
