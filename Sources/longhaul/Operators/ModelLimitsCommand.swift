import ArgumentParser
import Foundation
import LonghaulCore
import Mantle

extension ProjectsCommand {
    /// `longhaul projects limits show|set|clear`: a project's own context windows per model.
    struct ModelLimitsCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "limits", abstract: "Override the model table's context window and output limit for a project.",
            discussion: """
                Longhaul fits each call to its model's window (one table, from Bedrock's model cards). A project can state \
                its own figures for a model — one the table does not know, or a smaller window where it is served — and \
                they are used where jobs are planned and split: at enqueue (one call or map-reduce), in plans, and when the \
                document is cut into chunks. With --api the entry also says which API runs the model, so that a model \
                AWS added after the table was written (or another API the model speaks) runs for this project.
                """,
            subcommands: [Show.self, Set.self, Clear.self], defaultSubcommand: Show.self)

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "A project's overrides, beside the table's figures.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The project's name.") var name: String
            @Flag(name: .long, help: "Print the overrides as JSON.") var json = false

            func run() async throws {
                try await withModelLimits(of: name, options) { [json] store, project in
                    try printModelLimits(try await store.overrides(projectID: project.id), project: project.slug, json: json)
                }
            }
        }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Set (or replace) a project's window for a model.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The project's name.") var name: String
            @Option(name: .long, help: "The model id, as jobs name it (e.g. openai.gpt-oss-120b).") var model: String
            @Option(name: .long, help: "Input plus output tokens of one call.") var contextWindow: Int
            @Option(name: .long, help: "The largest max_output_tokens (default: the table's).") var maxOutputTokens: Int?
            @Option(
                name: .long,
                help: "The API that runs the model: \(GenerationAPI.allCases.map(\.rawValue).joined(separator: ", ")) (default: the table's).")
            var api: String?
            @Flag(name: .long, help: "Print the overrides as JSON.") var json = false

            func run() async throws {
                let api = try self.api.map { name in
                    guard let api = GenerationAPI(rawValue: name) else {
                        throw ValidationError(
                            "--api \(name) is not an API Longhaul runs; give one of "
                                + GenerationAPI.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    return api
                }
                let override = ModelLimitOverride(model: model, contextWindow: contextWindow, maxOutputTokens: maxOutputTokens, api: api)
                try await withModelLimits(of: name, options) { [json] store, project in
                    try await store.set(projectID: project.id, override)
                    try printModelLimits(try await store.overrides(projectID: project.id), project: project.slug, json: json)
                }
            }
        }

        struct Clear: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove a project's window for a model (the table's applies again).")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The project's name.") var name: String
            @Option(name: .long, help: "The model id.") var model: String

            func run() async throws {
                try await withModelLimits(of: name, options) { [model] store, project in
                    guard try await store.clear(projectID: project.id, model: model) else {
                        throw ValidationError("project '\(project.slug)' has no override for \(model)")
                    }
                    print("removed the override of \(model) in project '\(project.slug)'")
                }
            }
        }
    }
}

private func withModelLimits(
    of name: String, _ options: GlobalOptions, _ body: @escaping @Sendable (ModelLimitStore, Project) async throws -> Void
) async throws {
    try await withOperatorSession(options) { session in
        let project = try await ProjectOption.resolve(slug: name, in: ProjectStore(pool: session.pool))
        try await body(ModelLimitStore(pool: session.pool), project)
    }
}

private func printModelLimits(_ overrides: [String: ModelLimitOverride], project: String, json: Bool) throws {
    let sorted = overrides.values.sorted { $0.model < $1.model }
    if json { return try printJSON(sorted) }
    guard !sorted.isEmpty else { return print("project '\(project)' uses the model table's windows") }
    var table = TextTable("MODEL", "CONTEXT WINDOW", "MAX OUTPUT", "API", "TABLE'S WINDOW", "TABLE'S MAX OUTPUT")
    for override in sorted {
        let figures = override.comparison
        table.append(
            override.model, "\(figures.overridden.contextWindow)", "\(figures.overridden.maxOutputTokens)",
            override.api?.rawValue ?? "(table's)", "\(figures.table.contextWindow)", "\(figures.table.maxOutputTokens)")
    }
    print(table.render())
}
