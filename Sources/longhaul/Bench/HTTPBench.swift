import ArgumentParser
import Foundation
import HTTPClient
import Logging

/// `longhaul bench http`: GET one URL from many concurrent tasks for a fixed time and print the
/// request rate and latencies, to compare `HTTPClient` with curl's own parallel mode.
struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Measure HTTPClient GET requests per second against a URL."
    )

    @Option(help: "The URL to GET (a local server: benchmarks never target other hosts).")
    var url: String

    @Option(help: "Requests in flight at once.")
    var concurrency = 256

    @Option(help: "Seconds to run.")
    var duration = 10

    func validate() throws {
        guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
        guard duration > 0 else { throw ValidationError("--duration must be at least 1 second") }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ValidationError("--url must be an http:// or https:// URL")
        }
    }

    func run() async throws {
        let client = HTTPClient(configuration: .init(maxConnectionsPerHost: concurrency))
        let request = HTTPRequest(url: url, timeout: .seconds(30))
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .seconds(duration)

        let tallies = await withTaskGroup(of: WorkerTally.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var tally = WorkerTally()
                    while clock.now < deadline {
                        let sent = clock.now
                        do {
                            let response = try await client.send(request)
                            tally.record(status: response.status, latency: clock.now - sent)
                        } catch {
                            tally.failures += 1
                            if tally.firstError == nil { tally.firstError = "\(error)" }
                        }
                    }
                    return tally
                }
            }
            return await group.reduce(into: [WorkerTally]()) { $0.append($1) }
        }
        let elapsed = clock.now - start
        await client.shutdown()

        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let latencies = tallies.flatMap(\.latencies).sorted()
        let succeeded = tallies.reduce(0) { $0 + $1.succeeded }
        let failed = tallies.reduce(0) { $0 + $1.failures }
        func percentile(_ p: Double) -> String {
            guard !latencies.isEmpty else { return "-" }
            let value = latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
            return String(format: "%.2f ms", Double(value.components.attoseconds) / 1e15 + Double(value.components.seconds) * 1000)
        }
        print(
            String(format: "longhaul HTTPClient: %.0f requests/s", Double(succeeded) / seconds)
                + " (\(succeeded) ok, \(failed) failed in \(String(format: "%.1f", seconds)) s, concurrency \(concurrency);"
                + " latency p50 \(percentile(0.5)), p99 \(percentile(0.99)))")
        if let firstError = tallies.lazy.compactMap(\.firstError).first {
            print("first error: \(firstError)")
        }
    }
}

/// One worker task's counts, merged after the run (no shared counters in the hot loop).
private struct WorkerTally: Sendable {
    var succeeded = 0
    var failures = 0
    var firstError: String?
    var latencies: [Duration] = []

    mutating func record(status: Int, latency: Duration) {
        if (200..<300).contains(status) {
            succeeded += 1
            latencies.append(latency)
        } else {
            failures += 1
            if firstError == nil { firstError = "HTTP status \(status)" }
        }
    }
}
