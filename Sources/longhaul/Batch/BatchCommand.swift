import ArgumentParser
import Foundation
import Logging
import LonghaulCore
import Mantle

/// `longhaul batch DIR`: summarise every document in a folder, end to end.
struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Summarise every document in a folder: enqueue, run, and write one summary per document.",
        discussion: """
            With nothing configured it uses an embedded PostgreSQL (under $LONGHAUL_HOME, default ./.longhaul) and an \
            in-process Mantle simulator. Running the same command again resumes: documents that already completed with the \
            same content and parameters are not submitted again. Ctrl-C stops waiting, not the work.

            Before reading the folder it asks the project's Mantle endpoint once (GET /v1/models) whether it takes the \
            key and serves the model; an endpoint that cannot be reached is only a note (the jobs wait for it). When the \
            project cannot move later (Mantle refuses its key, or its endpoint stays unavailable) and no document finishes \
            for --give-up-after, it stops waiting and leaves the documents queued.

            Exit status: 0 when every document was summarised, 1 when some failed or ended incomplete, 75 when it gave \
            up waiting for a project that cannot move (temporary: run it again, or let `longhaul work` finish), 130 when \
            interrupted, 64 for bad arguments, 78 when Mantle refuses the project's key or Mantle project, the credential \
            cannot be read, or the endpoint does not serve the model (nothing is enqueued then).
            """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The folder of documents (.txt .md .rst .csv .json .html .pdf .docx).")
    var folder: String

    @Option(name: .long, help: "The project to bill and limit the work under (default: 'default').")
    var project: String?

    @Option(name: .long, help: "Where to write summaries and manifest.jsonl (default: DIR.summaries).")
    var out: String?

    @Option(name: .long, help: "The batch's name (default: the folder's name).")
    var name: String?

    @Flag(name: .long, inversion: .prefixedNo, help: "Descend into subfolders.")
    var recursive = true

    @Option(name: .long, help: "Only files whose relative path matches (repeatable), e.g. '*.md' or 'reports/**'.")
    var include: [String] = []

    @Option(name: .long, help: "Skip files whose relative path matches (repeatable).")
    var exclude: [String] = []

    @Option(name: .long, help: "Instructions for every document (default: a short summary).")
    var instructions: String?

    @Option(name: .long, help: "Read the instructions from a file.")
    var instructionsFile: String?

    @Option(name: .long, help: "The Mantle model (default: the project's).")
    var model: String?

    @Option(name: .long, help: "Upper bound on each summary's tokens, reasoning included (at least 16).")
    var maxOutputTokens: Int?

    @Option(name: .long, help: "A URL to receive a signed webhook for every finished document and the batch.")
    var webhook: String?

    @Option(
        name: .long,
        help:
            "auto (one call when a document fits the model's window, map-reduce when not), single (refuse what does not fit) or map_reduce."
    )
    var strategy: String?

    /// `--strategy` as the core's type (validated in `validate()`).
    var summaryStrategy: SummaryStrategy? { strategy.flatMap(SummaryStrategy.init(rawValue:)) }

    @Option(name: .long, help: "The model of the map calls of a map-reduce (default: --model), e.g. a cheaper one.")
    var mapModel: String?

    @Option(name: .long, help: "Upper bound on each map call's tokens (default: --max-output-tokens).")
    var mapMaxOutputTokens: Int?

    @Option(
        name: .long, help: "Mantle's service tier for every call: auto, default or flex (flex: slower, cheaper; Responses models only).")
    var serviceTier: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Opt-in: each document's summary is wanted by then — a time (2027-01-31T18:00:00Z) or a span from now (90m, 2h). "
                + "Jobs near it go first; jobs not done by then end failed (deadline_exceeded).", valueName: "time"))
    var deadline: DeadlineArgument?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A cap on what this batch may spend, in money at the model prices (`longhaul usage prices list`): documents whose "
                + "worst case does not fit what is left wait (batch_budget_reached). Again on a rerun: the new cap.", valueName: "amount"))
    var budget: Double?

    @Option(name: .long, help: ArgumentHelp("A cap on the batch's tokens (input + output), like --budget.", valueName: "tokens"))
    var budgetTokens: Int64?

    @Flag(
        name: .long,
        help:
            "Say what the run would do — calls, tokens, cost and time per document and in total — without calling Mantle or enqueueing anything."
    )
    var plan = false

    @Flag(name: .long, help: "Enqueue and return at once; `longhaul work` (or this command again) does the work.")
    var noWait = false

    @Flag(
        name: .long,
        help: ArgumentHelp(
            "Run again only what failed or ended incomplete in an earlier run of this folder with these settings; enqueue nothing new. "
                + "(A plain rerun also retries those, and enqueues new or changed documents.)"))
    var retryFailed = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Stop waiting (exit 75) when the project has been paused or its endpoint unavailable this long with no document finishing: "
                + "e.g. 10m; 0 waits for ever (default: 5m at a terminal, 30m otherwise).", valueName: "duration"))
    var giveUpAfter: HumanDuration?

    @Flag(name: .long, help: "Machine-readable progress and results on stdout, one JSON object per line.")
    var json = false

    func validate() throws {
        if instructions != nil && instructionsFile != nil {
            throw ValidationError("give --instructions or --instructions-file, not both")
        }
        if let maxOutputTokens, maxOutputTokens < 16 {
            throw ValidationError("--max-output-tokens must be at least 16 (Mantle's minimum)")
        }
        if let serviceTier, ServiceTier(rawValue: serviceTier) == nil {
            throw ValidationError("--service-tier must be auto, default or flex (got '\(serviceTier)')")
        }
        if let strategy, SummaryStrategy(rawValue: strategy) == nil {
            throw ValidationError("--strategy must be auto, single or map_reduce (got '\(strategy)')")
        }
        if let budget, !budget.isFinite || budget < 0 {
            throw ValidationError("--budget must be an amount of 0 or more (got \(budget))")
        }
        if let budgetTokens, budgetTokens < 0 {
            throw ValidationError("--budget-tokens must be 0 or more (got \(budgetTokens))")
        }
        if let mapMaxOutputTokens, mapMaxOutputTokens < 16 {
            throw ValidationError("--map-max-output-tokens must be at least 16 (Mantle's minimum)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("'\(folder)' is not a folder")
        }
        for pattern in include + exclude {
            do { _ = try DocumentGlob(pattern) } catch { throw ValidationError("\(error)") }
        }
    }

    func run() async throws {
        LoggingSetup.bootstrap(options, defaultLevel: .warning)
        let code = try await BatchRun(command: self).run()
        if code != 0 { throw ExitCode(code) }
    }

    /// The instructions text, from the option or the file.
    func resolvedInstructions() throws -> String? {
        if let instructions { return instructions }
        guard let instructionsFile else { return nil }
        guard let data = FileManager.default.contents(atPath: instructionsFile) else {
            throw ValidationError("cannot read the instructions file '\(instructionsFile)'")
        }
        guard let text = String(data: data, encoding: .utf8), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("the instructions file '\(instructionsFile)' is empty or not UTF-8 text")
        }
        return text
    }
}
