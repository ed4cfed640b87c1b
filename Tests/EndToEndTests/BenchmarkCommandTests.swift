import Foundation
import TestSupport
import Testing

/// The benchmarks that write to Longhaul's tables, run small against a fresh database.
///
/// `longhaul-bench` goes through the stores where one does the job, but seeds and watches with raw
/// SQL where none does (a bulk insert of deliveries, one statement per look at the queue). These
/// runs are what notice when a migration changes a table under that SQL; the figures are not read.
@Suite("The longhaul-bench binary")
struct BenchmarkCommandTests {
    @Test("pipeline enqueue fills the queue through the store, and wait counts the unfinished jobs")
    func pipeline() async throws {
        try await TestDatabase.withFreshDatabase(named: "bench_pipeline") { database in try await pipeline(url: database.url) }
    }

    private func pipeline(url: String) async throws {
        let enqueue = try await LonghaulProcess.run(
            ["pipeline", "enqueue", "--database-url", url, "--jobs", "3", "--chunk", "2"], binary: "longhaul-bench")
        #expect(enqueue.exitCode == 0, "\(enqueue.standardError)")
        #expect(enqueue.standardOutput.hasPrefix("enqueued 3 jobs"))
        // Nothing works the jobs, so the waiter gives up at once, having counted them.
        let wait = try await LonghaulProcess.run(
            ["pipeline", "wait", "--database-url", url, "--timeout", "0"], binary: "longhaul-bench")
        #expect(wait.exitCode != 0)
        #expect(wait.standardError.contains("3 of 3 jobs were still unfinished"), "\(wait.standardError)")
        // A second enqueue into the same project reuses it and its endpoint.
        let again = try await LonghaulProcess.run(
            ["pipeline", "enqueue", "--database-url", url, "--jobs", "1"], binary: "longhaul-bench")
        #expect(again.exitCode == 0, "\(again.standardError)")
    }

    @Test("webhooks seeds deliveries in bulk and ends jobs through the store; every webhook arrives")
    func webhooks() async throws {
        let run = try await TestDatabase.withFreshDatabase(named: "bench_webhooks") { database in
            try await LonghaulProcess.run(
                ["webhooks", "--database-url", database.url, "--deliveries", "5", "--jobs", "2", "--pause", "0", "--concurrency", "2"],
                binary: "longhaul-bench")
        }
        #expect(run.exitCode == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("throughput: 5 deliveries"), "\(run.standardOutput)")
        #expect(run.standardOutput.contains("latency: 2 of 2 job webhooks"), "\(run.standardOutput)")
    }
}
