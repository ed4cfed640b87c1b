import ArgumentParser
import Foundation
import LonghaulCore

extension ProjectsCommand {
    /// `longhaul projects budget show|set|clear`: spending caps per project.
    struct BudgetCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "budget", abstract: "Cap what a project spends per UTC day, per UTC month or in total, in money or tokens.",
            discussion: """
                Before each call the worker reserves its worst case (input + max_output_tokens, at the model's price); a job \
                whose worst case does not fit what is left stays queued, with the reason, and runs when the cap is raised or the \
                period ends. Jobs of a model without a price (`longhaul usage prices set`) wait under a cap in money.
                """,
            subcommands: [Show.self, Set.self, Clear.self], defaultSubcommand: Show.self)

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "A project's caps, with what this period spent and calls in flight reserve.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The project's name.") var name: String
            @Flag(name: .long, help: "Print the caps as JSON.") var json = false

            func run() async throws {
                try await withBudgets(of: name, options) { store, project in
                    try printBudgets(try await store.budgets(projectID: project.id), project: project.slug, json: json)
                }
            }
        }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Set (or replace) a project's cap for a period.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The project's name.") var name: String
            @Option(name: .long, help: "day, month or total.") var period: String
            @Option(name: .long, help: "The cap in money, in the model prices' currency.") var maxCost: Double?
            @Option(name: .long, help: "The cap in tokens (input + output).") var maxTokens: Int64?
            @Flag(name: .long, help: "Print the caps as JSON.") var json = false

            func validate() throws {
                guard ProjectBudget.Period(rawValue: period) != nil else { throw ValidationError("--period must be day, month or total") }
                guard maxCost != nil || maxTokens != nil else { throw ValidationError("give --max-cost, --max-tokens or both") }
            }

            func run() async throws {
                let period = ProjectBudget.Period(rawValue: period) ?? .total
                try await withBudgets(of: name, options) { [maxCost, maxTokens, json] store, project in
                    try await store.set(projectID: project.id, period: period, maxTokens: maxTokens, maxCost: maxCost)
                    try printBudgets(try await store.budgets(projectID: project.id), project: project.slug, json: json)
                }
            }
        }

        struct Clear: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove a project's cap for a period.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The project's name.") var name: String
            @Option(name: .long, help: "day, month or total.") var period: String

            func validate() throws {
                guard ProjectBudget.Period(rawValue: period) != nil else { throw ValidationError("--period must be day, month or total") }
            }

            func run() async throws {
                let period = ProjectBudget.Period(rawValue: period) ?? .total
                try await withBudgets(of: name, options) { store, project in
                    guard try await store.clear(projectID: project.id, period: period) else {
                        throw ValidationError("project '\(project.slug)' has no \(period.rawValue) cap")
                    }
                    print("removed the \(period.rawValue) cap of project '\(project.slug)'")
                }
            }
        }
    }
}

private func withBudgets(of name: String, _ options: GlobalOptions, _ body: @escaping @Sendable (BudgetStore, Project) async throws -> Void) async throws {
    try await withOperatorSession(options) { session in
        let project = try await ProjectOption.resolve(slug: name, in: ProjectStore(pool: session.pool))
        try await body(BudgetStore(pool: session.pool), project)
    }
}

private func printBudgets(_ budgets: [ProjectBudget], project: String, json: Bool) throws {
    if json { return try printJSON(budgets) }
    guard !budgets.isEmpty else { return print("project '\(project)' has no spending cap") }
    var table = TextTable("PERIOD", "CAP", "SPENT", "RESERVED (IN FLIGHT)", "RESETS")
    for budget in budgets {
        let caps = [budget.maxCost.map { Money.format($0, currency: budget.currency) }, budget.maxTokens.map { "\($0) tokens" }].compactMap { $0 }
        table.append(
            budget.period.rawValue, caps.joined(separator: " / "),
            "\(Money.format(budget.spentCost, currency: budget.currency)) / \(budget.spentTokens) tokens",
            "\(Money.format(budget.reservedCost, currency: budget.currency)) / \(budget.reservedTokens) tokens",
            budget.resetsAt.map { Cell.date($0) } ?? "never")
    }
    print(table.render())
    for budget in budgets where budget.blocksNextJob { print(budget.message(project: project)) }
}
