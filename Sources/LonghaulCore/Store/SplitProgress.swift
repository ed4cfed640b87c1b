/// How far a split job (map-reduce) has come: its chunks, and each level's jobs and usage.
public struct SplitProgress: Sendable, Equatable, Codable {
    /// Map jobs: the chunks the document was cut into.
    public var chunks: Int
    public var chunksCompleted: Int
    /// Level 1 is the map step, 2 and up the merges; in order.
    public var levels: [SplitLevel]

    public init(chunks: Int, chunksCompleted: Int, levels: [SplitLevel]) {
        self.chunks = chunks
        self.chunksCompleted = chunksCompleted
        self.levels = levels
    }

    /// Calls that returned a result, over every level.
    public var calls: Int { levels.reduce(0) { $0 + $1.completed + $1.failed } }
}

/// One level of a split job.
public struct SplitLevel: Sendable, Equatable, Codable {
    public var level: Int
    public var jobs: Int
    public var completed: Int
    /// Ended failed, incomplete or cancelled.
    public var failed: Int
    /// The sum of this level's calls.
    public var usage: Usage

    public init(level: Int, jobs: Int, completed: Int, failed: Int, usage: Usage) {
        self.level = level
        self.jobs = jobs
        self.completed = completed
        self.failed = failed
        self.usage = usage
    }
}
