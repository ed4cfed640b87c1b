/// The events Longhaul announces by webhook; the raw value is the payload's `type`.
public enum WebhookEventType: String, Sendable, CaseIterable, Codable {
    case jobCompleted = "job.completed"
    case jobFailed = "job.failed"
    case jobIncomplete = "job.incomplete"
    case jobCancelled = "job.cancelled"
    case batchCompleted = "batch.completed"
    /// Mantle refuses the project (its key, its Mantle project): its jobs wait until it is fixed.
    case projectPaused = "project.paused"
    /// The paused project answers again (or an operator resumed it).
    case projectResumed = "project.resumed"
    /// A spending cap is 80 % spent this period (once per period).
    case projectBudgetWarning = "project.budget_warning"
    /// A spending cap cannot admit the project's next job this period: its jobs wait (once per period).
    case projectBudgetReached = "project.budget_reached"
}
