/// The events Longhaul announces by webhook; the raw value is the payload's `type`.
public enum WebhookEventType: String, Sendable, CaseIterable, Codable {
    case jobCompleted = "job.completed"
    case jobFailed = "job.failed"
    case jobIncomplete = "job.incomplete"
    case jobCancelled = "job.cancelled"
    case batchCompleted = "batch.completed"
}
