import ArgumentParser

/// `longhaul-bench <name>`: the load generators behind the `bench/*.sh` scripts, which print figures.
///
/// A binary of its own, so that `longhaul` carries only what users run. `scripts/test` builds it,
/// and `BenchmarkCommandTests` runs the benchmarks that write to Longhaul's tables, small, so a
/// migration that breaks their SQL fails the tests rather than the next benchmark run.
@main
struct LonghaulBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "longhaul-bench",
        abstract: "Run a benchmark and print its figures (used by the bench/ scripts).",
        subcommands: [
            PoolBench.self, HTTPBench.self, MantleClientBench.self, WebhooksBench.self, PipelineBench.self, PollScheduleBench.self,
            TracingOffBench.self,
        ]
    )
}
