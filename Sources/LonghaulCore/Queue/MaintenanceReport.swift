/// What one maintenance pass did.
public struct MaintenanceReport: Sendable, Equatable {
    /// Submissions whose worker vanished, returned to the queue (the create may have reached
    /// Mantle: each is logged as an `abandoned` attempt).
    public var requeued = 0
    /// Jobs whose worker vanished on their last attempt, ended `failed`.
    public var failed = 0
    public var prunedJobs = 0
    public var prunedDeliveries = 0
    /// Stored texts (documents, instructions) that no job used any more once its jobs were pruned.
    public var prunedDocuments = 0
}
