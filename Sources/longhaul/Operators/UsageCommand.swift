import ArgumentParser
import Foundation
import LonghaulCore

/// `longhaul usage [report]` and `longhaul usage prices set|list|delete`: tokens and cost of finished jobs.
struct UsageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage", abstract: "Report tokens and cost of finished jobs; manage model prices.",
        subcommands: [Report.self, Prices.self, RollUp.self], defaultSubcommand: Report.self)

    struct RollUp: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "roll-up",
            abstract: "Bring the usage roll-up up to date now (the workers do it every few seconds; this is for after an import).")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await withOperatorSession(options) { session in
                let usage = UsageStore(pool: session.pool)
                var hours = 0
                var report = try await usage.rollUp()
                hours += report.hoursRolledUp
                while report.behind {
                    report = try await usage.rollUp()
                    hours += report.hoursRolledUp
                }
                print("usage rolled up to a minute ago: \(hours) hour(s) summed, \(report.staleHoursRedone) stale 15-minute bucket(s) summed again")
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tokens and cost of jobs that finished in a period, grouped by model, day or tag.")
        @OptionGroup var options: GlobalOptions
        @Option(name: .long, help: "Only this project's jobs.")
        var project: String?
        @Option(name: .long, help: "Jobs finished at or after this ISO 8601 date or date-time.")
        var from: String?
        @Option(name: .long, help: "Jobs finished before this ISO 8601 date or date-time.")
        var to: String?
        @Option(name: .long, help: "model, day (UTC) or tag:KEY (the job's metadata, else the project's tags).")
        var groupBy = "model"
        @Flag(name: .long, help: "Print a JSON array.")
        var json = false

        func validate() throws {
            _ = try grouping()
            _ = try period()
        }

        private func grouping() throws -> UsageGrouping {
            do {
                return try UsageGrouping(parsing: groupBy)
            } catch {
                throw ArgumentParser.ValidationError("--group-by: \(error.message)")
            }
        }

        private func period() throws -> (Date?, Date?) {
            (try from.map { try CommandLineDate.parse($0, option: "--from") }, try to.map { try CommandLineDate.parse($0, option: "--to") })
        }

        func run() async throws {
            let grouping = try grouping()
            let (start, end) = try period()
            try await withOperatorSession(options) { session in
                let rows = try await UsageStore(pool: session.pool).report(
                    projectID: try await projectID(project, in: session), from: start, to: end, groupBy: grouping)
                if json { return try printJSON(rows) }
                var table = TextTable(
                    grouping.name.uppercased(), "JOBS", "COMPLETED", "FAILED", "INCOMPLETE", "CANCELLED", "INPUT", "CACHED", "OUTPUT",
                    "REASONING", "COST")
                for row in rows {
                    table.append(
                        row.group, String(row.jobs), String(row.completed), String(row.failed), String(row.incomplete),
                        String(row.cancelled),
                        String(row.inputTokens), String(row.cachedTokens), String(row.outputTokens), String(row.reasoningTokens),
                        row.cost.map { String(format: "%.4f %@", $0, row.currency ?? "") } ?? "-")
                }
                print(table.render())
                if rows.isEmpty { Console.note("no jobs finished in that period") }
            }
        }
    }

    struct Prices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prices per million tokens, which turn usage into cost.",
            discussion: """
                Longhaul ships the prices it can cite (SOURCE says where each comes from); a price set here \
                replaces the shipped one for that model and tier, until it is deleted.
                """,
            subcommands: [SetPrice.self, ListPrices.self, DeletePrice.self])

        struct SetPrice: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a model's prices per million tokens.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The model id as jobs record it (e.g. openai.gpt-oss-120b).") var model: String
            @Option(name: .long, help: "Per million input tokens.")
            var input: Double
            @Option(name: .long, help: "Per million output tokens (reasoning included).")
            var output: Double
            @Option(name: .long, help: "Per million cached input tokens (default: the input price).")
            var cached: Double?
            @Option(name: .long, help: "ISO 4217 currency code.")
            var currency = "USD"
            @Option(name: .long, help: "default, or flex: the price of calls Mantle serves on the flex tier (set the default price first).")
            var tier = "default"
            @Flag(name: .long, help: "Print the price as JSON.")
            var json = false

            func run() async throws {
                try await withOperatorSession(options) { session in
                    let price = ModelPrice(
                        model: model, inputPerMillion: input, cachedInputPerMillion: cached, outputPerMillion: output, currency: currency,
                        serviceTier: tier)
                    try await UsageStore(pool: session.pool).setPrice(price)
                    if json { return try printJSON(price) }
                    let cachedPrice = cached.map { String($0) } ?? "as input"
                    let onTier = tier == "default" ? "" : " on \(tier)"
                    print("\(model)\(onTier): input \(input), cached \(cachedPrice), output \(output) \(currency) per million tokens")
                }
            }
        }

        struct ListPrices: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List model prices.")
            @OptionGroup var options: GlobalOptions
            @Flag(name: .long, help: "Print a JSON array.")
            var json = false

            func run() async throws {
                try await withOperatorSession(options) { session in
                    let prices = try await UsageStore(pool: session.pool).prices()
                    if json { return try printJSON(prices) }
                    var table = TextTable("MODEL", "TIER", "INPUT", "CACHED", "OUTPUT", "CURRENCY", "SOURCE")
                    for price in prices {
                        table.append(
                            price.model, price.serviceTier, String(price.inputPerMillion), price.cachedInputPerMillion.map { String($0) } ?? "-",
                            String(price.outputPerMillion), price.currency, price.source)
                    }
                    print(table.render())
                }
            }
        }

        struct DeletePrice: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "delete", abstract: "Delete a price set with `prices set`; the price Longhaul ships for the model, if any, applies again.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The model id, as `prices list` shows it.") var model: String
            @Option(name: .long, help: "default or flex.")
            var tier = "default"

            func run() async throws {
                try await withOperatorSession(options) { session in
                    let usage = UsageStore(pool: session.pool)
                    guard try await usage.deletePrice(model: model, tier: tier) else {
                        throw ValidationError("no price of \(model) on \(tier) was set with `longhaul usage prices set`; `longhaul usage prices list` shows the prices")
                    }
                    let now = try await usage.prices().first { $0.model == model && $0.serviceTier == tier }
                    let onTier = tier == "default" ? "" : " on \(tier)"
                    if let now {
                        print("\(model)\(onTier): the operator's price deleted; the shipped price applies (input \(now.inputPerMillion), output \(now.outputPerMillion) \(now.currency) per million tokens; \(now.source))")
                    } else {
                        print("\(model)\(onTier): price deleted; \(tier == "flex" ? "its flex calls cost its default price" : "it has no price now")")
                    }
                }
            }
        }
    }
}
