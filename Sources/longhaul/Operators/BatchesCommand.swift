import ArgumentParser
import Foundation
import LonghaulCore

/// `longhaul batches retry|cancel|results|budget BATCH`: a batch as one unit of work, from any machine
/// that reaches the database (the API has the same under /v1/batches/{id}/…).
struct BatchesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batches", abstract: "Retry what did not complete, cancel, read the results of, or cap a batch (batch_…).",
        subcommands: [Retry.self, Cancel.self, Results.self, Budget.self])

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue the batch's failed and incomplete jobs again; completed work is never redone.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The batch id (batch_…).") var batch: String
        @Option(name: .long, help: "failed or incomplete (repeatable; default: both).") var state: [String] = []
        @Option(name: .long, help: "Only jobs that ended with this error code or incomplete reason, e.g. max_output_tokens.")
        var errorCode: String?
        @Option(name: .long, help: "A new max_output_tokens for the incomplete ones.") var maxOutputTokens: Int?

        func validate() throws {
            for value in state where value != "failed" && value != "incomplete" {
                throw ValidationError("--state must be failed or incomplete (got '\(value)')")
            }
        }

        func run() async throws {
            var retry = BatchRetry(errorCode: errorCode, maxOutputTokens: maxOutputTokens)
            if !state.isEmpty { retry.states = Set(state.compactMap(JobState.init(rawValue:))) }
            try await withOperatorSession(options) { [batch, retry] session in
                let store = BatchStore(pool: session.pool, jobs: JobStore(pool: session.pool, publicBaseURL: PublicURL.configured))
                let count = try await store.retry(batchPublicID: batch, projectID: nil, retry)
                print("\(count) job\(count == 1 ? "" : "s") of \(batch) queued again; `longhaul work` (or `longhaul batch` on its folder) runs them")
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel every unfinished job of the batch.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The batch id (batch_…).") var batch: String

        func run() async throws {
            try await withOperatorSession(options) { [batch] session in
                let store = BatchStore(pool: session.pool, jobs: JobStore(pool: session.pool, publicBaseURL: PublicURL.configured))
                let outcome = try await store.cancel(batchPublicID: batch, projectID: nil)
                print("\(outcome.cancelled) cancelled, \(outcome.cancelRequested) with Mantle (a running `longhaul work` cancels them there)")
            }
        }
    }

    struct Results: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the batch's finished jobs as JSON Lines in document order (custom_id, job_id, state, text, usage, error).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The batch id (batch_…).") var batch: String

        func run() async throws {
            try await withOperatorSession(options) { [batch] session in
                let store = BatchStore(pool: session.pool, jobs: JobStore(pool: session.pool))
                for try await page in try await store.resultLines(batchPublicID: batch, projectID: nil) {
                    FileHandle.standardOutput.write(Data(page))
                }
            }
        }
    }

    struct Budget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the batch's spending cap with what is spent and reserved; or set, raise or clear it.",
            discussion: """
                A cap counts what the batch's calls spend from when it is first set. Raising it lets the jobs waiting on it \
                (batch_budget_reached) run at once.
                """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The batch id (batch_…).") var batch: String
        @Option(name: .long, help: "The cap in money, at the model prices.") var maxCost: Double?
        @Option(name: .long, help: "The cap in tokens (input + output).") var maxTokens: Int64?
        @Flag(name: .long, help: "Remove the cap.") var clear = false
        @Flag(name: .long, help: "Print the batch's budget as JSON.") var json = false

        func validate() throws {
            if clear && (maxCost != nil || maxTokens != nil) { throw ValidationError("give --clear or a cap, not both") }
        }

        func run() async throws {
            try await withOperatorSession(options) { [batch, maxCost, maxTokens, clear, json] session in
                let store = BatchStore(pool: session.pool, jobs: JobStore(pool: session.pool))
                if clear {
                    try await store.setBudget(batchPublicID: batch, projectID: nil, nil)
                } else if let cap = BatchBudgetCap(maxTokens: maxTokens, maxCost: maxCost) {
                    try await store.setBudget(batchPublicID: batch, projectID: nil, cap)
                }
                let budget = try await store.batch(publicID: batch, projectID: nil).budget
                if json { return try printJSON(budget) }
                guard let budget else { return print("\(batch) has no cap") }
                print("\(batch): \(budget.standing)")
            }
        }
    }
}
