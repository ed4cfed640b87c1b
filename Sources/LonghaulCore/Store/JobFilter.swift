public import Foundation

/// Which jobs a listing shows; nil fields do not filter.
public struct JobFilter: Sendable, Equatable {
    /// Only this project's jobs (a project token's scope); nil for every project.
    public var projectID: Int64?
    public var state: JobState?
    /// Only the jobs of this batch (`batch_…`).
    public var batchPublicID: String?
    /// Jobs created at or after this time.
    public var createdAfter: Date?
    /// Jobs created strictly before this time.
    public var createdBefore: Date?
    /// Alone: jobs whose metadata has this key. With `metadataValue`: whose value equals it.
    public var metadataKey: String?
    /// Only with `metadataKey`.
    public var metadataValue: String?
    /// Only jobs of this model.
    public var model: String? = nil
    /// Jobs whose source path (the file name a batch read) contains this text, ignoring case.
    public var sourceContains: String? = nil

    public init(
        projectID: Int64? = nil, state: JobState? = nil, batchPublicID: String? = nil, createdAfter: Date? = nil,
        createdBefore: Date? = nil, metadataKey: String? = nil, metadataValue: String? = nil
    ) {
        self.projectID = projectID
        self.state = state
        self.batchPublicID = batchPublicID
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
        self.metadataKey = metadataKey
        self.metadataValue = metadataValue
    }
}
