/// How a job's document is summarised.
public enum SummaryStrategy: String, Sendable, Codable, CaseIterable {
    /// One call when the document fits the model's window, map-reduce when it does not: never an
    /// extra lossy pass for a document that fits.
    case auto
    /// One call; a document that does not fit is refused at enqueue, with the numbers.
    case single
    /// Always map-reduce, even when one call would do (to test, or to bound each call's input).
    case mapReduce = "map_reduce"
}
