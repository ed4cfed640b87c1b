import Foundation
import Testing
import TestSupport

@Suite("The longhaul binary")
struct CommandLineTests {
    @Test("`longhaul version` prints the version and `--help` names every command, and no benchmark")
    func versionAndHelp() async throws {
        let version = try await LonghaulProcess.run(["version"])
        #expect(version.exitCode == 0)
        #expect(version.standardOutput.hasPrefix("longhaul "))
        let help = try await LonghaulProcess.run(["--help"])
        for command in ["batch", "work", "migrate", "db", "sim", "projects", "tokens", "jobs", "usage"] {
            #expect(help.standardOutput.contains(command), "help does not mention \(command)")
        }
        // The benchmarks are `longhaul-bench`, a binary of their own.
        #expect(!help.standardOutput.contains("\n  bench "))
        #expect(try await LonghaulProcess.run(["bench", "pool"]).exitCode == 64)
    }

    @Test("bad arguments are refused with a message that names the problem")
    func badArguments() async throws {
        let run = try await LonghaulProcess.run(["batch", "/no/such/folder"])
        #expect(run.exitCode == 64)
        #expect(run.standardError.contains("'/no/such/folder' is not a folder"))
    }
}
