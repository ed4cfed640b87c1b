import ArgumentParser

/// `longhaul bench …`: hidden load generators behind the `bench/*.sh` scripts; not for production.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark (used by the bench/ scripts).",
        shouldDisplay: false,
        subcommands: [HTTPBench.self]
    )
}
