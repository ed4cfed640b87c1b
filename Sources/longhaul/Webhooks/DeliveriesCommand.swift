import ArgumentParser
import Foundation
import LonghaulCore

/// `longhaul deliveries list|show|redeliver|resend`: the webhook log and manual replay.
struct DeliveriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries", abstract: "Inspect webhook deliveries and their attempts; send them again.",
        subcommands: [List.self, Show.self, Redeliver.self, Resend.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List deliveries, newest first.")
        @OptionGroup var options: GlobalOptions
        @Option(name: .long, help: "Only this project's deliveries (default: every project).")
        var project: String?
        @Option(name: .long, help: "Only deliveries in this state: pending, succeeded, failed, cancelled.")
        var state: String?
        @Option(name: .long, help: "Only the deliveries of this job (job_…).")
        var job: String?
        @Option(name: .long, help: "At most this many.")
        var limit = 50
        @Flag(name: .long, help: "One JSON object per line.")
        var json = false

        func validate() throws {
            if let state, DeliveryState(rawValue: state) == nil {
                throw ValidationError(
                    "unknown state '\(state)'; choose from \(DeliveryState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
        }

        func run() async throws {
            try await withSession(options) { session in
                let projectID = try await projectID(project, in: session)
                let deliveries = try await DeliveryStore(pool: session.pool).list(
                    projectID: projectID, state: state.flatMap(DeliveryState.init(rawValue:)), jobPublicID: job, limit: limit)
                for delivery in deliveries {
                    if json {
                        print(try jsonLine(delivery))
                    } else {
                        let status = delivery.lastStatus.map { " HTTP \($0)" } ?? ""
                        print(
                            "\(delivery.publicID)  \(delivery.eventType)  \(delivery.state.rawValue)  "
                                + "attempts=\(delivery.attempts)\(status)  "
                                + "\(delivery.job ?? delivery.batch ?? "-")  \(delivery.url)")
                    }
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one delivery: its body and every attempt.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The delivery id (msg_…, the webhook-id).") var delivery: String
        @Flag(name: .long, help: "As one JSON object.")
        var json = false

        func run() async throws {
            try await withSession(options) { session in
                let detail = try await DeliveryStore(pool: session.pool).detail(publicID: delivery, projectID: nil)
                if json {
                    print(try jsonLine(detail))
                    return
                }
                let record = detail.delivery
                print("delivery: \(record.publicID) (\(record.eventType)) for project \(record.project)")
                print("url: \(record.url)\(record.endpoint.map { " (endpoint \($0))" } ?? " (per-job URL)")")
                print(
                    "state: \(record.state.rawValue) after \(record.attempts) attempt(s)"
                        + (record.nextAttemptAt.map { "; next attempt \($0.formatted(.iso8601))" } ?? ""))
                print("body: \(detail.body)")
                for attempt in detail.attempts {
                    let status = attempt.httpStatus.map { "HTTP \($0)" } ?? "no response"
                    print(
                        "  #\(attempt.attempt) \(attempt.startedAt.formatted(.iso8601)) \(attempt.durationMilliseconds) ms \(status)"
                            + (attempt.address.map { " via \($0)" } ?? "") + (attempt.error.map { " — \($0)" } ?? ""))
                    if let body = attempt.responseBody { print("     response: \(body.prefix(200))") }
                }
            }
        }
    }

    struct Redeliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send one delivery again now (same webhook-id and body, a fresh retry schedule).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The delivery id (msg_…).") var delivery: String

        func run() async throws {
            try await withSession(options) { session in
                let record = try await DeliveryStore(pool: session.pool).redeliver(publicID: delivery, projectID: nil)
                print("\(record.publicID) is pending again; a running `longhaul work` sends it now")
            }
        }
    }

    struct Resend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send again every delivery that failed, for events since a time (e.g. after an outage of the receiver).")
        @OptionGroup var options: GlobalOptions
        @Option(name: .long, help: "Events at or after this time: ISO 8601 (2026-08-01T12:00:00Z) or an age (90m, 6h, 3d).")
        var since: String
        @Option(name: .long, help: "Only this project's deliveries (default: every project).")
        var project: String?
        @Flag(name: .long, help: "Also those cancelled because their endpoint was disabled (enable it first).")
        var includeCancelled = false

        func validate() throws {
            _ = try Self.parseSince(since, now: Date())
        }

        func run() async throws {
            let start = try Self.parseSince(since, now: Date())
            try await withSession(options) { session in
                let projectID = try await projectID(project, in: session)
                let count = try await DeliveryStore(pool: session.pool).resend(
                    since: start, projectID: projectID, includeCancelled: includeCancelled)
                print("\(count) deliveries are pending again (events since \(start.formatted(.iso8601)))")
            }
        }

        /// An ISO 8601 time, or an age before `now` such as `90m`, `6h`, `3d`.
        static func parseSince(_ text: String, now: Date) throws -> Date {
            let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
            if let unit = text.last, let seconds = units[unit], let amount = Double(text.dropLast()), amount >= 0 {
                return now.addingTimeInterval(-amount * seconds)
            }
            if let date = try? Date(text, strategy: .iso8601) { return date }
            let fractional = ISO8601DateFormatter()
            fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let date = fractional.date(from: text) { return date }
            throw ValidationError("--since '\(text)' is neither an ISO 8601 time (2026-08-01T12:00:00Z) nor an age (90m, 6h, 3d)")
        }
    }
}
