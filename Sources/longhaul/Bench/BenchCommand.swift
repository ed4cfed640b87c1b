import ArgumentParser

/// `longhaul bench <name>`: hidden load generators behind the `bench/*.sh` scripts, which print figures.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark and print its figures (used by the bench/ scripts).",
        shouldDisplay: false,
        subcommands: [PoolBench.self, HTTPBench.self, MantleClientBench.self, WebhooksBench.self, PipelineBench.self]
    )
}
