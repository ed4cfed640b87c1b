import Foundation
import TestSupport
import Testing

/// schemathesis, driven by the document `longhaul serve` publishes, against the real server:
/// thousands of generated requests, valid and hostile, and every answer must be documented, match
/// its schema, never be a 5xx, and refuse what the schema forbids.
@Suite struct SchemathesisTests {
    static let adminToken = "schemathesis-admin-token-0123456789"

    @Test func everyAnswerMatchesTheDocumentAndNoneIsAServerError() async throws {
        guard let python = ProcessInfo.processInfo.environment["LONGHAUL_PYTHON"], !python.isEmpty else {
            Issue.record(
                "LONGHAUL_PYTHON is not set: export LONGHAUL_PYTHON=/work/main/.build-python/bin/python (an interpreter with schemathesis)."
            )
            return
        }
        let schemathesis = URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("schemathesis").path
        let (result, serverLog) = try await TestDatabase.withFreshDatabase(named: "schemathesis") { database in
            try await LonghaulProcess.with(
                ["serve", "--database-url", database.url, "--port", "0", "--log-level", "warning"],
                environment: ["LONGHAUL_ADMIN_TOKEN": Self.adminToken]
            ) { server in
                let port = try await server.waitForOutput { log in
                    log.firstMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)/).map { String($0.1) }
                }
                let run = try await ProcessResult.run(schemathesis, Self.arguments(port: port, seed: 20_261_123))
                return (run, server.log())
            }
        }
        #expect(
            result.status == 0,
            "schemathesis found failures:\n\(result.output.suffix(12_000))\n--- server log ---\n\(serverLog.suffix(4_000))")
        #expect(!serverLog.contains(" error "), "the server logged errors:\n\(serverLog.suffix(4_000))")
    }

    /// Every check except `positive_data_acceptance`: some rules are beyond what a JSON Schema
    /// says (a region or a base URL but not both; a cursor this server issued; a model Longhaul
    /// knows), so a schema-valid request may rightly be a 400 that names the rule.
    static func arguments(port: String, seed: Int) -> [String] {
        [
            "run", "http://127.0.0.1:\(port)/openapi.json",
            "--header", "Authorization: Bearer \(adminToken)",
            "--checks", "all", "--exclude-checks", "positive_data_acceptance",
            // One worker: CPython 3.11 keeps the AST constructor's recursion depth per interpreter,
            // not per thread, so hypothesis describing strategies on two threads at once crashes
            // with "AST constructor recursion depth mismatch" and no finding (cpython#106905;
            // it failed a clean-clone CI run on both seeds we tried).
            "--max-examples", "25", "--workers", "1", "--seed", "\(seed)",
            "--request-timeout", "20", "--no-color",
        ]
    }
}
