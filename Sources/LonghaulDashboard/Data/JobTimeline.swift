import Foundation
import LonghaulCore

/// What happened to one job, in order, from what the database keeps: enqueued, each attempt with
/// its Mantle call outcome, the polls (a count: single polls are not stored), the end, and each
/// webhook delivery attempt.
struct JobTimeline: Sendable, Equatable {
    struct Event: Sendable, Equatable {
        var at: Date
        /// `enqueued`, `attempt 2`, `polled`, `completed`, `webhook job.completed`.
        var title: String
        /// The outcome, status and message, as stored.
        var detail: String
        /// `ok`, `bad` or `` for the mark beside it.
        var tone: String
    }

    var events: [Event]

    /// The events of `job` with its attempts and deliveries, oldest first (a pure merge).
    static func of(_ job: JobDetail, attempts: [AttemptRow], deliveries: [DeliveryDetail]) -> JobTimeline {
        var events = [Event(at: job.createdAt, title: "enqueued", detail: "model \(job.model)", tone: "")]
        for attempt in attempts {
            var detail = attempt.outcome
            if let status = attempt.httpStatus { detail += " · HTTP \(status)" }
            if let response = attempt.responseID { detail += " · \(response)" }
            if let code = attempt.errorCode { detail += " · \(code)" }
            if let message = attempt.errorMessage { detail += ": \(message)" }
            let bad = attempt.errorCode != nil || ["failed", "abandoned", "error"].contains(attempt.outcome)
            events.append(Event(at: attempt.startedAt, title: "attempt \(attempt.attempt)", detail: detail, tone: bad ? "bad" : ""))
        }
        if job.pollCount > 0, let submitted = job.submittedAt {
            events.append(
                Event(
                    at: submitted, title: "polled",
                    detail:
                        "\(job.pollCount) poll\(job.pollCount == 1 ? "" : "s") of the Response, last status \(job.remoteStatus ?? "none")",
                    tone: ""))
        }
        if let finished = job.finishedAt {
            var detail = job.state.rawValue
            if let code = job.errorCode { detail += " · \(code)" }
            if let message = job.errorMessage { detail += ": \(message)" }
            if let reason = job.incompleteReason { detail += " · \(reason)" }
            events.append(Event(at: finished, title: job.state.rawValue, detail: detail, tone: job.state == .completed ? "ok" : "bad"))
        }
        for delivery in deliveries {
            for attempt in delivery.attempts {
                let detail = [
                    attempt.httpStatus.map { "HTTP \($0)" }, attempt.error, "\(attempt.durationMilliseconds) ms", delivery.delivery.url,
                ]
                .compactMap { $0 }.joined(separator: " · ")
                let ok = (200..<300).contains(attempt.httpStatus ?? 0)
                events.append(
                    Event(
                        at: attempt.startedAt, title: "webhook \(delivery.delivery.eventType) #\(attempt.attempt)", detail: detail,
                        tone: ok ? "ok" : "bad"))
            }
            if delivery.attempts.isEmpty {
                events.append(
                    Event(
                        at: delivery.delivery.createdAt, title: "webhook \(delivery.delivery.eventType)",
                        detail: "\(delivery.delivery.state.rawValue) · \(delivery.delivery.url)", tone: ""))
            }
        }
        // Stable: events at the same instant keep the order above.
        let sorted = events.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        return JobTimeline(events: sorted)
    }
}

/// One row of `attempts`: a submission of the job to Mantle and what became of it.
struct AttemptRow: Sendable, Equatable {
    var attempt: Int
    var outcome: String
    var httpStatus: Int?
    var responseID: String?
    var errorCode: String?
    var errorMessage: String?
    var startedAt: Date
}
