import Testing
import TestSupport

@Suite("longhaul work: poll schedule options")
struct WorkOptionsTests {
    @Test("poll schedule options out of range are refused before anything starts, naming the option")
    func badPollOptions() async throws {
        let inverted = try await LonghaulProcess.run(["work", "--min-poll-interval", "5", "--max-poll-interval", "1"])
        #expect(inverted.exitCode == 64)
        #expect(inverted.standardError.contains("--min-poll-interval (5.0 s) must not exceed --max-poll-interval (1.0 s)"))
        let zero = try await LonghaulProcess.run(["work", "--min-poll-interval", "0"])
        #expect(zero.exitCode == 64)
        #expect(zero.standardError.contains("--min-poll-interval must be between 0.1 and 3600 seconds"))
        let help = try await LonghaulProcess.run(["work", "--help"])
        #expect(help.standardOutput.contains("--first-poll"))
    }

    @Test("--retention takes a span of at least a minute; anything else is refused, naming the option")
    func badRetention() async throws {
        let short = try await LonghaulProcess.run(["work", "--retention", "30s"])
        #expect(short.exitCode == 64)
        #expect(short.standardError.contains("--retention must be at least 60s (got 30s)"))
        let garbled = try await LonghaulProcess.run(["work", "--retention", "a week"])
        #expect(garbled.exitCode == 64)
        #expect(garbled.standardError.contains("--retention"))
    }
}
