public import Foundation

/// A batch as the API and `longhaul` show it: what it is, how many of its jobs are in each
/// state, and the tokens its finished jobs used.
public struct BatchSummary: Sendable, Equatable, Codable {
    public var id: Int64
    /// `batch_…`.
    public var publicID: String
    /// The project's slug.
    public var project: String
    public var name: String
    /// The folder or upload it came from, when known.
    public var source: String?
    public var webhookURL: String?
    public var totalJobs: Int
    /// Jobs per state, keyed by `JobState` raw value; every state is present (0 when none).
    public var counts: [String: Int]
    /// Summed over the results of the batch's jobs.
    public var usage: Usage
    public var createdAt: Date
    /// When the last job ended (nil while any is unfinished).
    public var finishedAt: Date?
    /// Whether every job has ended.
    public var finished: Bool
    /// Its spending cap and where it stands, when it has one.
    public var budget: BatchBudget?

    public init(
        id: Int64, publicID: String, project: String, name: String, source: String?, webhookURL: String?, totalJobs: Int,
        counts: [String: Int], usage: Usage, createdAt: Date, finishedAt: Date?, finished: Bool, budget: BatchBudget? = nil
    ) {
        self.budget = budget
        self.id = id
        self.publicID = publicID
        self.project = project
        self.name = name
        self.source = source
        self.webhookURL = webhookURL
        self.totalJobs = totalJobs
        self.counts = counts
        self.usage = usage
        self.createdAt = createdAt
        self.finishedAt = finishedAt
        self.finished = finished
    }
}
