/// Where a batch stands.
public struct BatchProgress: Sendable, Equatable {
    public var total: Int
    public var counts: [JobState: Int]
    public var inputTokens: Int
    public var outputTokens: Int
    public var finished: Bool
    /// Map jobs of the documents that were split for map-reduce, and how many have completed.
    public var chunks: Int = 0
    public var chunksCompleted: Int = 0

    public var done: Int { counts.filter { $0.key.isTerminal }.map(\.value).reduce(0, +) }
}
