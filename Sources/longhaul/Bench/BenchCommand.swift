import ArgumentParser

/// `longhaul bench <name>`: hidden benchmarks that print figures (see bench/*.sh).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark and print its figures.",
        shouldDisplay: false,
        subcommands: [PoolBench.self]
    )
}
