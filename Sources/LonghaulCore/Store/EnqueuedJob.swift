/// A job as enqueue returns it.
public struct EnqueuedJob: Sendable, Equatable {
    public var id: Int64
    public var publicID: String
    /// False when an idempotency key matched an existing job with the same request.
    public var created: Bool
    public var state: JobState
}
