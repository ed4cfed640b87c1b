import ArgumentParser
import Foundation
import LonghaulCore

/// `longhaul jobs list|show|cancel|retry`: the queue, job by job, across projects.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "List, inspect, cancel and retry jobs.",
        subcommands: [List.self, Show.self, Cancel.self, Retry.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first, a page at a time.")
        @OptionGroup var options: GlobalOptions
        @Option(name: .long, help: "Only this project's jobs.")
        var project: String?
        @Option(name: .long, help: "Only jobs in this state: \(JobState.allCases.map(\.rawValue).joined(separator: ", ")).")
        var state: String?
        @Option(name: .long, help: "Only the jobs of this batch (batch_…).")
        var batch: String?
        @Option(name: .long, help: "Jobs created at or after this ISO 8601 date or date-time.")
        var since: String?
        @Option(name: .long, help: "Jobs created before this ISO 8601 date or date-time.")
        var until: String?
        @Option(name: .long, help: "KEY: jobs whose metadata has KEY; KEY=VALUE: whose KEY is VALUE.")
        var metadata: String?
        @Option(name: .long, help: "Jobs per page (1–1000).")
        var limit = 50
        @Option(name: .long, help: "Where to continue: the cursor the previous page printed.")
        var cursor: String?
        @Flag(name: .long, help: "Print {\"jobs\": […], \"next_cursor\": …} as JSON.")
        var json = false

        func validate() throws {
            if let state, JobState(rawValue: state) == nil {
                throw ArgumentParser.ValidationError(
                    "unknown state '\(state)'; choose from \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard (1...1000).contains(limit) else { throw ArgumentParser.ValidationError("--limit must be between 1 and 1000") }
            _ = try filterDates()
            if let metadata, metadata.isEmpty || metadata.hasPrefix("=") {
                throw ArgumentParser.ValidationError("--metadata needs KEY or KEY=VALUE (e.g. --metadata customer=acme)")
            }
        }

        private func filterDates() throws -> (Date?, Date?) {
            (
                try since.map { try CommandLineDate.parse($0, option: "--since") },
                try until.map { try CommandLineDate.parse($0, option: "--until") }
            )
        }

        func run() async throws {
            let (after, before) = try filterDates()
            var key: String?
            var value: String?
            if let metadata {
                if let equals = metadata.firstIndex(of: "=") {
                    key = String(metadata[..<equals])
                    value = String(metadata[metadata.index(after: equals)...])
                } else {
                    key = metadata
                }
            }
            try await withOperatorSession(options) { session in
                let filter = JobFilter(
                    projectID: try await projectID(project, in: session), state: state.flatMap(JobState.init(rawValue:)),
                    batchPublicID: batch, createdAfter: after,
                    createdBefore: before, metadataKey: key, metadataValue: value)
                let page = try await JobStore(pool: session.pool).listJobs(filter, limit: limit, cursor: cursor)
                if json { return try printJSON(page) }
                var table = TextTable("JOB", "PROJECT", "STATE", "MODEL", "BATCH", "CREATED", "FINISHED", "TOKENS_IN", "TOKENS_OUT")
                for job in page.jobs {
                    table.append(
                        job.publicID, job.project, job.state.rawValue, job.model, Cell.text(job.batch), Cell.date(job.createdAt),
                        Cell.date(job.finishedAt), Cell.number(job.usage?.inputTokens), Cell.number(job.usage?.outputTokens))
                }
                print(table.render())
                if let next = page.nextCursor {
                    Console.note("more jobs: add --cursor \(next)")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show everything about one job, its result text and usage included.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The job id (job_…).") var job: String
        @Flag(name: .long, help: "Print the job as JSON.")
        var json = false

        func run() async throws {
            try await withOperatorSession(options) { session in
                let detail = try await JobStore(pool: session.pool).job(publicID: job, projectID: nil)
                if json { return try printJSON(detail) }
                var fields: [(String, String)] = [
                    ("job", detail.publicID), ("project", detail.project), ("batch", Cell.text(detail.batch)),
                    ("state", detail.state.rawValue + (detail.remoteStatus.map { " (Mantle: \($0))" } ?? "")),
                    ("model", detail.model), ("response", Cell.text(detail.responseID)),
                    ("attempt", "\(detail.attempt) of \(detail.maxAttempts)"), ("polls", String(detail.pollCount)),
                    ("priority", String(detail.priority)), ("source", Cell.text(detail.sourcePath)),
                    ("metadata", Cell.tags(detail.metadata)), ("created", Cell.date(detail.createdAt)),
                    ("submitted", Cell.date(detail.submittedAt)), ("finished", Cell.date(detail.finishedAt)),
                ]
                if let usage = detail.usage {
                    fields.append(
                        (
                            "usage",
                            "input \(usage.inputTokens) (cached \(usage.cachedTokens)), output \(usage.outputTokens) "
                                + "(reasoning \(usage.reasoningTokens)), total \(usage.totalTokens)"
                        ))
                }
                if let parent = detail.parent { fields.append(("part of", parent)) }
                if let split = detail.split {
                    fields.append(("chunks", "\(split.chunksCompleted) of \(split.chunks) summarised, \(split.calls) calls"))
                    for level in split.levels {
                        fields.append(
                            (
                                level.level == 1 ? "map" : "merge \(level.level - 1)",
                                "\(level.completed) of \(level.jobs) completed\(level.failed > 0 ? ", \(level.failed) failed" : ""); "
                                    + "input \(level.usage.inputTokens), output \(level.usage.outputTokens)"
                            ))
                    }
                }
                if let reason = detail.incompleteReason { fields.append(("incomplete", reason)) }
                if detail.errorCode != nil || detail.errorMessage != nil {
                    fields.append(("error", [detail.errorCode, detail.errorMessage].compactMap { $0 }.joined(separator: ": ")))
                }
                if let partial = detail.partial {
                    fields.append(("so far", Self.describe(partial)))
                }
                print(TextTable.fields(fields))
                if let text = detail.outputText {
                    print("\n--- output ---\n\(text)")
                } else if let partial = detail.partial {
                    print("\n--- output so far (\(Self.describe(partial))) ---\n\(partial.text)")
                }
            }
        }

        /// "1,234 characters, 310 output tokens, checkpointed 4 s ago".
        static func describe(_ partial: PartialOutput) -> String {
            "\(partial.text.count) characters" + (partial.outputTokens.map { ", \($0) output tokens" } ?? "")
                + ", checkpointed \(partial.ageSeconds()) s ago"
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a job: a queued one at once, one with Mantle by a cancel call (it ends in Mantle's final status).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The job id (job_…).") var job: String
        @Flag(name: .long, help: "Print {\"job\", \"outcome\", \"state\"} as JSON.")
        var json = false

        struct Output: Encodable {
            var job: String
            var outcome: String
            var state: JobState
        }

        func run() async throws {
            try await withOperatorSession(options) { session in
                let store = JobStore(pool: session.pool, publicBaseURL: PublicURL.configured)
                let outcome = try await store.cancel(publicID: job, projectID: nil)
                let state = try await store.job(publicID: job, projectID: nil).state
                let (name, message): (String, String) =
                    switch outcome {
                    case .cancelled: ("cancelled", "\(job) is cancelled")
                    case .cancelRequested: ("cancel_requested", "\(job) is with Mantle; a running `longhaul work` cancels it there")
                    case .alreadyFinished(let ended): ("already_finished", "\(job) had already ended (\(ended.rawValue)); nothing changed")
                    }
                if json { return try printJSON(Output(job: job, outcome: name, state: state)) }
                print(message)
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Queue a failed or incomplete job again for a fresh series of attempts.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The job id (job_…).") var job: String
        @Flag(name: .long, help: "Print the job as JSON.")
        var json = false

        func run() async throws {
            try await withOperatorSession(options) { session in
                let store = JobStore(pool: session.pool)
                try await store.retry(publicID: job, projectID: nil)
                let detail = try await store.job(publicID: job, projectID: nil)
                if json { return try printJSON(detail) }
                print("\(job) is \(detail.state.rawValue) again (attempts allowed up to \(detail.maxAttempts))")
            }
        }
    }
}
