public import Foundation

/// Everything known about one job: what the API's `GET /v1/jobs/{id}` and the batch outputs show.
public struct JobDetail: Sendable, Equatable, Codable {
    public var id: Int64
    public var publicID: String
    public var project: String
    public var batch: String?
    public var state: JobState
    public var remoteStatus: String?
    public var model: String
    public var responseID: String?
    public var attempt: Int
    public var maxAttempts: Int
    public var pollCount: Int
    public var priority: Int
    public var sourcePath: String?
    public var metadata: [String: String]
    public var createdAt: Date
    public var submittedAt: Date?
    public var finishedAt: Date?
    public var outputText: String?
    public var usage: Usage?
    public var incompleteReason: String?
    public var errorCode: String?
    public var errorMessage: String?
    /// What holds the job, when it is queued and something does.
    public var waiting: JobWait? = nil
    /// For a job split for map-reduce: its chunks and levels; nil for a job of one call.
    public var split: SplitProgress? = nil
    /// For a map or merge job: the public id of the job it is part of.
    public var parent: String? = nil
    /// The `service_tier` the job asks for (nil: the endpoint's default).
    public var serviceTier: String? = nil
    /// The tier Mantle reported on the Response that ended the job.
    public var servedTier: String? = nil
    /// The job's deadline, if it has one, and whether it has come near (`longhaul_urgent_at`).
    public var deadline: Date? = nil
    public var urgent = false
    /// For a job whose stream is held: the text of this attempt's last checkpoint.
    public var partial: PartialOutput? = nil
}
