/// One page of a job listing and where the next one starts.
public struct JobPage: Sendable, Equatable, Codable {
    /// Newest first.
    public var jobs: [JobDetail]
    /// Pass back as `cursor` for the next (older) page; nil on the last page.
    public var nextCursor: String?

    public init(jobs: [JobDetail], nextCursor: String?) {
        self.jobs = jobs
        self.nextCursor = nextCursor
    }
}
