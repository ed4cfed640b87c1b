import ArgumentParser
import Foundation
import LonghaulCore

/// `longhaul-bench poll-schedule`: Responses of a given length walked through the Poller's
/// schedule — the same `ResponseDurationModel` and `PollSchedule` functions the worker calls —
/// first learning from `--learn` completed peers, then polling `--jobs` more; prints polls per
/// job and detection delay, beside the age-based schedule. Simulated time, so a 20-minute
/// Response takes microseconds; `--overhead` stands for the claim and write latency of a look.
struct PollScheduleBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poll-schedule", abstract: "Polls per job and detection delay of the poll schedule, in simulated time.")

    @Option(help: "Seconds each Response runs.")
    var seconds: Double = 1200
    @Option(help: "Each Response's length varies by up to this fraction either way (uniform).")
    var jitter: Double = 0.02
    @Option(help: "Responses polled.")
    var jobs: Int = 10_000
    @Option(help: "Completed Responses learned from first (0: nothing known, the age-based schedule).")
    var learn: Int = 200
    @Option(help: "Seconds from a poll coming due to its answer being stored.")
    var overhead: Double = 0.15

    func run() {
        var random = SystemRandomNumberGenerator()
        let key = ResponseDurationKey(projectID: 1, model: "openai.gpt-oss-120b")
        func length() -> Double { seconds * (1 + Double.random(in: -jitter...jitter, using: &random)) }
        // Mantle's whole-second created_at and completed_at, as the worker reads them.
        let samples = (0..<learn).map { _ in
            let start = Double.random(in: 0..<1, using: &random)
            let seconds = (start + length()).rounded(.up) - start.rounded(.down)
            return ResponseDurationSample(key: key, estimatedInputTokens: 1000, maxOutputTokens: 2000, outputTokens: 400, seconds: seconds)
        }
        let expected = ResponseDurationModel.fit(samples)?.expectedEnd(estimatedInputTokens: 1000, maxOutputTokens: 2000)
        let schedule = PollSchedule()
        var polls: [Int] = [], delays: [Double] = []
        for _ in 0..<jobs {
            let end = length()
            var age = schedule.first(expected: expected).inSeconds + overhead
            var count = 1
            while age < end {
                age += schedule.interval(age: .milliseconds(Int64(age * 1000)), expected: expected).inSeconds + overhead
                count += 1
            }
            polls.append(count)
            delays.append(age - end)
        }
        delays.sort()
        let mean = Double(polls.reduce(0, +)) / Double(polls.count)
        let p50 = delays[delays.count / 2], p99 = delays[Int(Double(delays.count - 1) * 0.99)]
        let learned = expected.map { "expected \($0.duration.inSeconds) s ± \(Int($0.spread * 100)) %" } ?? "nothing learned"
        print("simulated \(Int(seconds)) s Responses (±\(Int(jitter * 100)) %), \(learned):")
        print(
            String(
                format: "  polls per job %.2f; detection p50 %.2f s (%.2f %% of the length), p99 %.2f s", mean, p50, 100 * p50 / seconds,
                p99))
    }
}
