import ArgumentParser
import Foundation
import LonghaulCore
import Tracing
import Telemetry
import Workers

/// `longhaul-bench tracing-off`: what the tracing hooks cost a job when tracing is off
/// (`OTEL_EXPORTER_OTLP_ENDPOINT` unset), on the hot path: the API's read of the request's trace
/// context, the claim's `JobTracing.claimed`, and `JobTracing.span` around the create, a poll and
/// the terminal write (the terminal write's `finishing` takes the same one branch) — timed
/// against the same work called bare, per job.
struct TracingOffBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracing-off", abstract: "Nanoseconds per job the tracing hooks cost with tracing off.")

    @Option(help: "Jobs walked through the hooks.")
    var jobs: Int = 2_000_000
    @Option(help: "Rounds of (bare, hooked); the best round of each is kept.")
    var rounds: Int = 5

    func run() async throws {
        let tracing = JobTracing(enabled: false)
        let claim = [
            ClaimedPoll(
                id: 1, publicID: "job_bench", projectID: 1, attempt: 1, maxAttempts: 3, responseID: "resp_bench", model: "openai.gpt-oss-120b",
                submittedAt: Date(), cancelRequested: false)
        ]
        @inline(never) func work(_ value: Int) async -> Int { value &+ 1 }
        var sink = 0
        var bare = Duration.seconds(1000), hooked = Duration.seconds(1000)
        for _ in 0..<rounds {
            let clock = ContinuousClock()
            bare = min(
                bare,
                try await clock.measure {
                    for job in 0..<jobs {
                        sink &+= (try await { () async throws -> [ClaimedPoll] in claim }()).count
                        for step in 0..<3 { sink &+= await work(job &+ step) }
                    }
                })
            hooked = min(
                hooked,
                try await clock.measure {
                    for job in 0..<jobs {
                        if let context = ServiceContext.current?.traceParent?.description { sink &+= context.utf8.count }
                        sink &+= try await tracing.claimed("job.claim", lookup: { _ in [:] }) { claim }.count
                        for step in 0..<3 {
                            sink &+= await tracing.span("job.create", continuing: nil, publicID: "job_bench") { span in
                                span?.attributes["longhaul.step"] = step
                                return await work(job &+ step)
                            }
                        }
                    }
                })
        }
        func perJob(_ duration: Duration) -> Double {
            (Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9) / Double(jobs)
        }
        print("tracing off, \(jobs) jobs, best of \(rounds) (sink \(sink & 1)):")
        print(
            String(
                format: "  bare %.1f ns/job, with the hooks %.1f ns/job: %.1f ns/job for the hooks", perJob(bare), perJob(hooked),
                perJob(hooked) - perJob(bare)))
    }
}
