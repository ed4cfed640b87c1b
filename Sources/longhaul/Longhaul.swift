import ArgumentParser

/// The `longhaul` command: every way to run Longhaul goes through one of its subcommands.
@main
struct Longhaul: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "longhaul",
        abstract: "Background job orchestrator for long-running LLM generations on Amazon Bedrock Mantle.",
        version: LonghaulVersion.current,
        subcommands: [
            BatchCommand.self, BatchesCommand.self, ServeCommand.self, WorkCommand.self, ProjectsCommand.self, TokensCommand.self, JobsCommand.self,
            UsageCommand.self, WebhooksCommand.self, DeliveriesCommand.self, MigrateCommand.self, DBCommand.self, SimCommand.self,
            CredentialsCommand.self, ModelsCommand.self,
            VersionCommand.self,
        ]
    )
}
