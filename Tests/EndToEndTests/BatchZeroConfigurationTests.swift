import Foundation
import Testing
import TestSupport

/// `longhaul batch DIR` with nothing configured: the embedded PostgreSQL under `$LONGHAUL_HOME`
/// (run as the `postgres` user when the tests run as root) and the in-process simulator.
@Suite("longhaul batch with zero configuration")
struct BatchZeroConfigurationTests {
    /// Runs a small batch with only `LONGHAUL_HOME` and the simulator's speed set, then asks
    /// `longhaul db status` whether the server was stopped, and stops it in any case.
    private func runWithoutConfiguration(home: String, root: TemporaryFolder) async throws -> (batch: LonghaulRun, status: String) {
        try root.write("docs/notes.txt", "The lighthouse stood on the northern cliff. Ships used it to find the harbour.")
        try root.write("docs/guide.md", "# Guide\n\nThe harbour has two piers.")
        try root.write("docs/empty.txt", bytes: [])
        let runner = BatchRunner(environment: ["LONGHAUL_HOME": home, "LONGHAUL_SIMULATOR_SPEED": "20"])
        let batch = try await runner.run([root.path + "/docs"], timeout: .seconds(90))
        let environment = runner.environment, unsetting = runner.unsetting
        let status = try await LonghaulProcess.run(["db", "status"], environment: environment, unsetting: unsetting)
        _ = try await LonghaulProcess.run(["db", "stop"], environment: environment, unsetting: unsetting)
        return (batch, status.standardOutput)
    }

    private func expectSummarised(_ batch: LonghaulRun, home: String, root: TemporaryFolder) {
        #expect(batch.exitCode == 0, "\(batch.log)")
        #expect(batch.standardError.contains("using the embedded PostgreSQL in \(home) (started;"), "\(batch.log)")
        #expect(batch.standardError.contains("no OPENAI_BASE_URL set: using the in-process Mantle simulator"), "\(batch.log)")
        #expect(batch.standardOutput.contains("3 files: 2 completed, 1 skipped"), "\(batch.log)")
        #expect(root.read("docs.summaries/notes.txt.summary.md")?.contains("state: completed") == true)
        #expect(root.read("docs.summaries/guide.md.summary.md")?.contains("state: completed") == true)
    }

    @Test("nothing configured: the embedded PostgreSQL is started in LONGHAUL_HOME, used, and stopped; exit 0")
    func embeddedDatabase() async throws {
        let root = try TemporaryFolder(prefix: "longhaul-zero")
        root.openToEveryone()  // the postgres user must reach $LONGHAUL_HOME when the tests run as root
        let home = root.path + "/home"
        let (batch, status) = try await runWithoutConfiguration(home: home, root: root)
        expectSummarised(batch, home: home, root: root)
        #expect(status.hasPrefix("stopped (under \(home))"), "the embedded PostgreSQL still runs: \(status)")
        #expect(root.exists("home/postgres/data/PG_VERSION"), "the cluster is not under LONGHAUL_HOME")
        #expect(!root.exists("home/postgres.location"))
    }

    @Test("as root, a LONGHAUL_HOME the postgres user cannot reach moves the cluster to /var/tmp, recorded in postgres.location")
    func unreachableHome() async throws {
        let root = try TemporaryFolder(prefix: "longhaul-zero")  // mode 0700: closed to the postgres user
        let home = root.path + "/home"
        let (batch, status) = try await runWithoutConfiguration(home: home, root: root)
        let recorded = root.read("home/postgres.location")?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let recorded, recorded.hasPrefix("/var/tmp/longhaul-postgres-") {
            try? FileManager.default.removeItem(atPath: recorded)
        }
        expectSummarised(batch, home: home, root: root)
        #expect(status.hasPrefix("stopped (under \(home))"), "the embedded PostgreSQL still runs: \(status)")
        if getuid() == 0 {
            #expect(recorded?.hasPrefix("/var/tmp/longhaul-postgres-") == true, "postgres.location: \(recorded ?? "missing")")
        } else {
            #expect(recorded == nil && root.exists("home/postgres/data/PG_VERSION"))
        }
    }
}
