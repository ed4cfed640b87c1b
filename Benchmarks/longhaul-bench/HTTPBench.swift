import ArgumentParser
import Foundation
import HTTPClient
import Logging

/// `longhaul-bench http`: send one request (any method, headers and body) from many concurrent
/// tasks for a fixed time and print the request rate, latencies and statuses. `bench/http.sh`
/// GETs a local nginx with it to compare `HTTPClient` with curl; `bench/api.sh` POSTs jobs and
/// batches to `longhaul serve`.
struct HTTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Measure HTTPClient requests per second against a URL."
    )

    @Option(help: "The URL to request (a local server: benchmarks never target other hosts).")
    var url: String

    @Option(help: "The HTTP method.")
    var method = "GET"

    @Option(
        name: .customLong("header"),
        help: "A request header, 'Name: value' (repeatable); {{seq}} in the value becomes a number unique to each request.")
    var headers: [String] = []

    @Option(help: "A file whose bytes are the request body; {{seq}} in it becomes a number unique to each request.")
    var bodyFile: String?

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
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter }) else {
            throw ValidationError("--method must be a method name such as GET or POST")
        }
        _ = try BenchRequestTemplate(method: method, url: url, headerOptions: headers, body: nil)
    }

    func run() async throws {
        var body: Data?
        if let bodyFile { body = try await Self.readBody(bodyFile) }
        let template = try BenchRequestTemplate(method: method, url: url, headerOptions: headers, body: body)
        let fixedRequest = template.varies ? nil : template.request(sequence: "")
        let client = HTTPClient(configuration: .init(maxConnectionsPerHost: concurrency))
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .seconds(duration)

        let tallies = await withTaskGroup(of: WorkerTally.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var tally = WorkerTally()
                    var count = 0
                    while clock.now < deadline {
                        // "worker-count" is unique without a counter shared between tasks.
                        let request = fixedRequest ?? template.request(sequence: "\(worker)-\(count)")
                        count += 1
                        let sent = clock.now
                        do {
                            let response = try await client.send(request)
                            tally.record(response, latency: clock.now - sent)
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

        let seconds = elapsed.inSeconds
        let latencies = tallies.flatMap(\.latencies).sorted()
        let succeeded = tallies.reduce(0) { $0 + $1.succeeded }
        let failed = tallies.reduce(0) { $0 + $1.failures }
        let statuses = tallies.reduce(into: [Int: Int]()) { total, tally in total.merge(tally.statuses, uniquingKeysWith: +) }
        func percentile(_ p: Double) -> String {
            guard !latencies.isEmpty else { return "-" }
            let value = latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
            return String(format: "%.2f ms", value.inSeconds * 1000)
        }
        print(
            String(format: "longhaul HTTPClient: %.0f requests/s", Double(succeeded) / seconds)
                + " (\(succeeded) ok, \(failed) failed in \(String(format: "%.1f", seconds)) s, concurrency \(concurrency);"
                + " latency p50 \(percentile(0.5)), p99 \(percentile(0.99)))")
        print("statuses: " + statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " "))
        if let firstError = tallies.lazy.compactMap(\.firstError).first {
            print("first error: \(firstError)")
        }
    }

    /// The body file's bytes, read on a dispatch queue: a file read of unknown size must not block
    /// Swift's cooperative pool.
    private static func readBody(_ path: String) async throws -> Data {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try Data(contentsOf: URL(fileURLWithPath: path)) })
            }
        }
    }
}

/// One worker task's counts, merged after the run (no shared counters in the hot loop).
private struct WorkerTally: Sendable {
    var succeeded = 0
    var failures = 0
    var firstError: String?
    var latencies: [Duration] = []
    var statuses: [Int: Int] = [:]

    mutating func record(_ response: HTTPResponse, latency: Duration) {
        statuses[response.status, default: 0] += 1
        if (200..<300).contains(response.status) {
            succeeded += 1
            latencies.append(latency)
        } else {
            failures += 1
            if firstError == nil {
                firstError = "HTTP status \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))"
            }
        }
    }
}
