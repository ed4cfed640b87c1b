/// When `longhaul batch` reads where its run stands.
///
/// A full read counts every job of the run by state and sums its tokens: O(jobs), 44 ms a read
/// with 20,000 jobs and ~120 ms with 100,000 (two statements, PostgreSQL 15). Read at every
/// 250 ms tick, it was the costliest statement of a 20,000-document run (105 reads, 5.1 s of the
/// server's time), ahead of the claims and the finalizer, on the cores the work needs. So full
/// reads are paced by their cost (``ReadPacing``: at most a twentieth of the run). Between full
/// reads, the batch's own count of unfinished jobs (one row) is read at each tick; when it reaches zero the run may be done, and
/// a full read comes at once, so the end is seen within a tick as before.
public struct ProgressPacing: Sendable {
    /// How often the batch's unfinished count is read (and, for cheap runs, everything).
    public static let tick: Duration = .milliseconds(250)

    private var fullReads = ReadPacing()

    public init() {}

    /// Whether to read everything now: the first time, when the rest after the last full read is
    /// over, or when the batch says none of its jobs is left unfinished.
    public func isFullReadDue(at now: ContinuousClock.Instant, batchPending: Int?) -> Bool {
        fullReads.isDue(at: now) || batchPending == 0
    }

    /// A full read that started at `start` and took `length`.
    public mutating func fullReadTook(_ length: Duration, startedAt start: ContinuousClock.Instant) {
        fullReads.readTook(length, startedAt: start)
    }
}
