public import Foundation

/// The text a held stream has written so far, as its last checkpoint stored it (every 5 s by
/// default, not per token): what `GET /v1/jobs/{id}`, `longhaul jobs show` and the dashboard
/// show of a job that is still streaming.
public struct PartialOutput: Sendable, Equatable, Codable {
    public var text: String
    /// Output tokens of the text, as the stream counted them (or estimated from its deltas).
    public var outputTokens: Int?
    /// When the checkpoint was written; the text is at most this old plus one checkpoint interval.
    public var checkpointedAt: Date

    public init(text: String, outputTokens: Int?, checkpointedAt: Date) {
        self.text = text
        self.outputTokens = outputTokens
        self.checkpointedAt = checkpointedAt
    }

    /// Whole seconds since the checkpoint, never negative (clocks of API and database differ).
    public func ageSeconds(at now: Date = Date()) -> Int {
        max(0, Int(now.timeIntervalSince(checkpointedAt)))
    }
}
