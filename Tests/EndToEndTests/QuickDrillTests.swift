import Foundation
@testable import LonghaulCore
import TestSupport
import Testing

/// The fault drills that take seconds, run by the test command with the debug binaries it built:
/// `tenant-isolation` (every documented token route against another project's ids) and
/// `hostile-files` (`longhaul batch` over binary, Latin-1, oversized, looping and fake files).
///
/// Only `bench/drills.sh` ran them before, so both went stale for two waves unnoticed: the
/// isolation drill refused to pass with the 16 routes added since it was written, and the
/// hostile-files drill still expected a 12 MB text, long documents having since become splittable,
/// to be refused. Here a drill that no longer matches the product fails CI the day it stops
/// matching. The slow drills (massacre, db-restart, storm, outages: minutes each) stay in
/// `bench/drills.sh`; `bad-input-api` is `SchemathesisTests`.
@Suite struct QuickDrillTests {
    @Test(arguments: ["tenant-isolation", "hostile-files"])
    func drillPasses(_ drill: String) async throws {
        guard let python = ProcessInfo.processInfo.environment["LONGHAUL_PYTHON"], !python.isEmpty else {
            Issue.record("LONGHAUL_PYTHON is not set: export LONGHAUL_PYTHON=/work/main/.build-python/bin/python (scripts/setup --test builds it).")
            return
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let run = try await ProcessResult.run(
            python, [root.appendingPathComponent("bench/drills/run.py").path, drill],
            environment: [
                "LONGHAUL_BIN": try LonghaulBinary.path(),
                "LONGHAUL_BENCH_BIN": try LonghaulBinary.path(named: "longhaul-bench"),
                "PG_BINDIR": URL(fileURLWithPath: try await ServerBinaries.find().pgCtl).deletingLastPathComponent().path,
            ])
        #expect(run.status == 0 && run.output.contains("PASS \(drill):"), "bench/drills/run.py \(drill):\n\(run.output.suffix(8_000))")
    }
}
