import Foundation
import HummingbirdTesting
import Logging
import LonghaulAPI
import LonghaulCore
import Prometheus
import TestSupport
import Testing

/// The dashboard in headless Chromium (`Browser/dashboard_in_chromium.py`, selenium): sign in,
/// filter and share the URL, a job's timeline, retry, cancel, hostile values as text, a batch
/// advancing and retried, a tracked bulk retry, usage and tokens, another tenant's job and batch a 404. Screenshots go to `.build/dashboard-screenshots/`.
@Suite struct BrowserTests {
    @Test func dashboardInChromium() async throws {
        guard let python = ProcessInfo.processInfo.environment["LONGHAUL_PYTHON"], !python.isEmpty else {
            Issue.record(
                "LONGHAUL_PYTHON is not set: export LONGHAUL_PYTHON=/work/main/.build-python/bin/python (an interpreter with selenium).")
            return
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"),
            FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
        else {
            Issue.record(
                "/usr/bin/chromium and /usr/bin/chromedriver are missing: run scripts/setup --test (Debian's chromium and chromium-driver)."
            )
            return
        }
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let script = here.appendingPathComponent("Browser/dashboard_in_chromium.py")
        let screenshots = here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            ".build/dashboard-screenshots")
        try await StoreFixture.with("browser") { fixture in
            let alpha = try await fixture.project("alpha")
            let beta = try await fixture.project("beta")
            let token = try await TokenStore(pool: fixture.pool).create(name: "browser", projectID: alpha.id).secret
            let seeds = DashboardSeeds(fixture: fixture)
            let queued = try await seeds.job(in: alpha, sourcePath: "acme/q4.pdf", metadata: ["customer": "acme"])
            let failed = try await seeds.job(
                in: alpha, sourcePath: "acme/q3.pdf", metadata: ["customer": "acme"], failedWith: "Mantle said no")
            _ = try await seeds.job(in: alpha, sourcePath: "zeta/q3.pdf", metadata: ["customer": "zeta"], failedWith: "Mantle said no")
            let hostile = try await seeds.job(
                in: alpha, document: "<script>window.__pwned=1</script>", sourcePath: "\"><img src=x onerror=window.__pwned=1>.txt",
                metadata: ["note": "javascript:window.__pwned=1"], failedWith: "<img src=x onerror=window.__pwned=1>",
                summary: "<script>window.__pwned=1</script>")
            let other = try await seeds.job(in: beta, document: "Beta's own document.")
            // A batch of two: one failed (to retry from its page), one queued (the script cancels it
            // through the REST API, and watches the open page advance to 2 / 2).
            let batch = try await BatchStore(pool: fixture.pool, jobs: fixture.store).createBatch(
                project: alpha, name: "<img src=x onerror=window.__pwned=1>", source: nil, webhookURL: nil)
            let batchJobs = try await fixture.enqueue(2, into: alpha, batchID: batch.id).map(\.publicID)
            try await seeds.end(batchJobs[0], as: .failed, error: "The model failed.")
            let otherBatch = try await BatchStore(pool: fixture.pool, jobs: fixture.store).createBatch(
                project: beta, name: "beta's batch", source: nil, webhookURL: nil)
            var logger = Logger(label: "browser-test")
            logger.logLevel = .warning
            let server = APIServer(
                configuration: APIConfiguration(port: 0), pool: fixture.pool, registry: PrometheusCollectorRegistry(), logger: logger)
            try await server.makeApplication().test(.live) { client in
                let port = try #require(client.port)
                let result = try await ProcessResult.run(
                    python,
                    [
                        script.path, "--base-url", "http://127.0.0.1:\(port)", "--token", token, "--queued-job", queued, "--failed-job",
                        failed,
                        "--hostile-job", hostile, "--other-tenant-job", other, "--screenshots", screenshots.path, "--batch", batch.publicID,
                        "--batch-queued-job", batchJobs[1], "--other-tenant-batch", otherBatch.publicID,
                    ], environment: ["SE_OFFLINE": "true", "SE_AVOID_STATS": "true"])
                #expect(result.status == 0, "the browser test failed:\n\(result.output)")
            }
            #expect(try await fixture.state(of: queued) == .cancelled)
            #expect(try await fixture.state(of: failed) == .queued, "retried")
            #expect(try await fixture.state(of: other) == .queued)
            #expect(try await fixture.state(of: batchJobs[0]) == .queued, "retried from the batch's page")
            #expect(try await fixture.state(of: batchJobs[1]) == .cancelled)
        }
    }
}
