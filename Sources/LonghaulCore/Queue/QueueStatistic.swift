/// Unfinished jobs of one project in one state, for the metrics gauges.
public struct QueueStatistic: Sendable, Equatable {
    public var project: String
    public var state: JobState
    public var count: Int
    /// For `queued`: how long the oldest due job has waited.
    public var lagSeconds: Double
}
