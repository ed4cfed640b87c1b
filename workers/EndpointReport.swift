import Foundation
import Logging
import LonghaulCore
import Metrics

/// A call's outcome for its job, with what the call said of its project's endpoint: the unit a
/// Submitter or Poller hands to its writer.
struct Reported<Outcome: Sendable>: Sendable {
    var outcome: Outcome
    var projectID: Int64
    var signal: EndpointSignal
    /// The job's stored `traceparent` while tracing is on, for the span of its terminal write.
    var traceContext: String? = nil
}

extension Array {
    /// What a batch of calls said about each project's endpoint.
    func endpointObservations<Outcome>(creates: Bool) -> [Int64: EndpointHealth.Observation] where Element == Reported<Outcome> {
        var observations: [Int64: EndpointHealth.Observation] = [:]
        for report in self {
            observations[report.projectID, default: .init()].add(report.signal, isCreate: creates)
        }
        return observations
    }
}

/// Logs and counts each change of a project's endpoint: the operator's record of when an
/// endpoint opened and closed, and why a project paused.
struct EndpointChangeLog: Sendable {
    let logger: Logger
    private let counters: [String: Counter]

    init(logger: Logger) {
        self.logger = logger
        counters = Dictionary(uniqueKeysWithValues: ["breaker_opened", "breaker_closed", "paused", "resumed"].map {
            ($0, Counter(label: "longhaul_endpoint_changes_total", dimensions: [("change", $0)]))
        })
    }

    func record(_ changes: [EndpointHealthChange]) {
        for change in changes {
            var logger = logger
            logger[metadataKey: "project"] = "\(change.projectSlug)"
            switch change.change {
            case .breakerOpened(let failures, let error):
                counters["breaker_opened"]?.increment()
                // Notice, not warning: the work waits by design, and `longhaul batch` (logging
                // warnings) says so in its own words.
                logger.notice(
                    "endpoint unavailable: \(failures) calls in a row failed; its jobs wait in the queue and one probe goes out on a growing interval",
                    metadata: ["error": "\(error ?? "")"])
            case .breakerClosed(let openedAt):
                counters["breaker_closed"]?.increment()
                logger.notice("endpoint answers again; claiming resumes", metadata: ["unavailable_for_s": "\(Int(-openedAt.timeIntervalSinceNow))"])
            case .paused(let error):
                counters["paused"]?.increment()
                logger.error(
                    "project paused: Mantle refuses it; its jobs wait, and it is tried again about once a minute",
                    metadata: ["error": "\(error.httpStatus.map { "HTTP \($0) " } ?? "")\(error.code): \(error.message)"])
            case .resumed(let pausedAt):
                counters["resumed"]?.increment()
                logger.notice("project resumed: Mantle answers it again", metadata: ["paused_for_s": "\(Int(-pausedAt.timeIntervalSinceNow))"])
            }
        }
    }
}
