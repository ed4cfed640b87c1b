import ArgumentParser
import Foundation
import Logging
import LonghaulCore

/// `longhaul models`: what the project's endpoint serves (`GET /v1/models`), each with the API
/// Longhaul runs it on, its context window and its largest output.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models a project's endpoint serves, with the API Longhaul uses for each and its limits.",
        discussion: """
            Asks the project's endpoint (GET /v1/models) and joins the answer with Longhaul's model table. Claude
            models that only bedrock-runtime serves (Sonnet 4.6, us./global. inference profiles) are listed too,
            marked as not served by the endpoint. API "-" means Longhaul does not know the model's family.
            """)
    @OptionGroup var options: GlobalOptions
    @Option(name: .long, help: "The project whose endpoint to ask.") var project = "default"
    @Flag(name: .long, help: "Print a JSON array.") var json = false

    func run() async throws {
        LoggingSetup.bootstrap(options, defaultLevel: .warning)
        let logger = Logger(label: "longhaul.models")
        let listing = try await withOperatorSession(options) { session in
            let projects = ProjectStore(pool: session.pool)
            let found = try await ProjectOption.resolve(slug: project, in: projects)
            let entries = try await ModelLimitStore(pool: session.pool).overrides(projectID: found.id)
            return try await withMantleRuntime(logger: logger) { runtime in
                do throws(RemoteCallError) {
                    return ModelCatalogue.listing(
                        served: try await runtime.gateway(projects: projects, logger: logger).servedModels(of: found), entries: entries)
                } catch {
                    throw CommandFailure("cannot list the models of project '\(found.slug)': \(error.detail.message)")
                }
            }
        }
        if json { return try printJSON(listing) }
        var table = TextTable("MODEL", "API", "CONTEXT", "MAX OUTPUT", "ON ENDPOINT")
        for model in listing {
            table.append(
                model.id, model.api ?? "-", String(model.contextWindow), String(model.maxOutputTokens),
                model.servedByEndpoint.map { $0 ? "yes" : "no" } ?? "-")
        }
        print(table.render())
    }
}
