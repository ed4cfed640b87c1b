import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import LonghaulCore
import Postgres
import TestSupport
import Testing

@Suite("Dashboard batches and tracked actions")
struct DashboardBatchTests {
    /// A batch of alpha's with three jobs: one completed (with usage), one failed, one queued.
    static func seedBatch(_ dashboard: DashboardHarness, name: String = "Quarterly reports") async throws -> (
        batch: String, completed: String, failed: String, queued: String
    ) {
        let batch = try await BatchStore(pool: dashboard.fixture.pool, jobs: dashboard.fixture.store).createBatch(
            project: dashboard.alpha, name: name, source: nil, webhookURL: nil)
        let jobs = try await dashboard.fixture.enqueue(3, into: dashboard.alpha, batchID: batch.id).map(\.publicID)
        let seeds = DashboardSeeds(fixture: dashboard.fixture)
        try await seeds.end(jobs[0], as: .completed, summary: "Rivers flow.", outputTokens: 200)
        try await seeds.end(jobs[1], as: .failed, error: "The model failed.")
        return (batch.publicID, jobs[0], jobs[1], jobs[2])
    }

    @Test("a batch's page: progress, counts, usage and cost by model; its results download is the REST API's JSON Lines")
    func batchPage() async throws {
        try await DashboardHarness.run { dashboard in
            try await UsageStore(pool: dashboard.fixture.pool).setPrice(
                ModelPrice(model: "openai.gpt-oss-120b", inputPerMillion: 1, cachedInputPerMillion: nil, outputPerMillion: 10, currency: "USD"))
            let seeded = try await Self.seedBatch(dashboard, name: "<script>window.__pwned=1</script>")
            let browser = try await dashboard.signIn(dashboard.alphaToken)
            let list = try await browser.get("/dashboard/batches")
            #expect(list.text.contains("href=\"/dashboard/batches/\(seeded.batch)\""), "the list links to the batch's page")
            let page = try await browser.get("/dashboard/batches/\(seeded.batch)")
            #expect(page.status == .ok)
            #expect(page.text.contains("<strong class=\"batch-progress\">2 / 3</strong>"))
            #expect(page.text.contains("<span class=\"count-failed\">1</span>") && page.text.contains("<span class=\"count-queued\">1</span>"))
            // 1,000 input tokens at 1 USD and 200 output at 10 USD per million: 0.003 USD.
            #expect(page.text.contains("0.0030 USD"), "the cost of the batch's completed job")
            #expect(page.text.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;") && !page.text.contains("<script>window"))
            #expect(page.text.contains("Retry 1 failed"))
            #expect(page.text.contains("<dd class=\"batch-budget\">no cap</dd>"))

            // A cap set on the batch after it ran starts from what its finished calls spent: the
            // completed job's 0.003 USD (the seeds leave `submitted_at` unset; a real run sets it).
            try await dashboard.fixture.pool.query("UPDATE jobs SET submitted_at = finished_at WHERE finished_at IS NOT NULL")
            try await BatchStore(pool: dashboard.fixture.pool, jobs: dashboard.fixture.store).setBudget(
                batchPublicID: seeded.batch, projectID: nil, BatchBudgetCap(maxTokens: nil, maxCost: 2))
            let capped = try await browser.get("/dashboard/batches/\(seeded.batch)")
            #expect(capped.text.contains("<dd class=\"batch-budget\">$0.0030 spent and $0.00 reserved of $2.00</dd>"), "\(capped.text)")

            let download = try await browser.get("/dashboard/batches/\(seeded.batch)/results.jsonl")
            #expect(download.status == .ok)
            #expect(download.headers[.contentType] == "application/jsonl; charset=utf-8")
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"\(seeded.batch)-results.jsonl\"")
            let rest = try await dashboard.client.execute(
                uri: "/v1/batches/\(seeded.batch)/results", method: .get, headers: [.authorization: "Bearer \(dashboard.alphaToken)"],
                body: nil)
            #expect(rest.status == .ok)
            #expect(download.text == String(buffer: rest.body), "the same lines as GET /v1/batches/{id}/results")
            #expect(download.text.split(separator: "\n").count == 2, "the two ended jobs")
        }
    }

    @Test("retry failed: needs the CSRF token and a token that may act, then queues the batch's failed jobs again")
    func retryFailed() async throws {
        try await DashboardHarness.run { dashboard in
            let seeded = try await Self.seedBatch(dashboard)
            let path = "/dashboard/batches/\(seeded.batch)/retry"
            let viewer = try await dashboard.signIn(dashboard.alphaReadOnlyToken)
            let viewerPage = try await viewer.get("/dashboard/batches/\(seeded.batch)")
            #expect(viewerPage.status == .ok && !viewerPage.text.contains("Retry 1 failed"), "no button for a read-only session")
            #expect(try await viewer.post(path, fields: [], csrf: try await viewer.csrfToken()).status == .forbidden)
            let browser = try await dashboard.signIn(dashboard.alphaToken)
            #expect(try await browser.post(path, fields: [], csrf: nil).status == .forbidden)
            #expect(try await dashboard.fixture.state(of: seeded.failed) == .failed)

            let retried = try await browser.post(path, fields: [], csrf: try await browser.csrfToken())
            #expect(retried.status == .seeOther)
            #expect(retried.headers[.location] == "/dashboard/batches/\(seeded.batch)?retried=1")
            #expect(try await dashboard.fixture.state(of: seeded.failed) == .queued)
            #expect(try await dashboard.fixture.state(of: seeded.completed) == .completed, "completed work is never redone")
            #expect(try await browser.get("/dashboard/batches/\(seeded.batch)?retried=1").text.contains("1 job queued again."))
        }
    }

    @Test("bulk retry of everything matching is a tracked action: the page after the redirect counts done / total")
    func trackedBulkRetry() async throws {
        try await DashboardHarness.run { dashboard in
            var failed: [String] = []
            for index in 0..<3 {
                failed.append(
                    try await dashboard.job(in: dashboard.alpha, document: "Bulk \(index). A sentence.", metadata: ["run": "7"], failedWith: "boom"))
            }
            let completed = try await dashboard.job(in: dashboard.alpha, metadata: ["run": "7"])
            try await DashboardSeeds(fixture: dashboard.fixture).end(completed, as: .completed, summary: "Done.")
            let browser = try await dashboard.signIn(dashboard.alphaToken)
            let confirm = try await browser.get("/dashboard/jobs/bulk?action=retry&meta=run%3D7&state=failed")
            #expect(confirm.text.contains("<strong class=\"count\">3</strong>"))
            let posted = try await browser.post(
                "/dashboard/jobs/bulk", fields: [("action", "retry"), ("count", "3"), ("meta", "run=7"), ("state", "failed")],
                csrf: try await browser.csrfToken())
            #expect(posted.status == .seeOther)
            let location = try #require(posted.headers[.location])
            #expect(location.hasPrefix("/dashboard/actions/act_"))
            // The work goes on after the answer; its page shows it until the end.
            let page = try await browser.finishedAction(location)
            #expect(page.text.contains("<strong class=\"action-progress\">3 / 3</strong>"))
            #expect(page.text.contains("<strong class=\"done-count\">3</strong>"))
            for id in failed { #expect(try await dashboard.fixture.state(of: id) == .queued) }
            #expect(try await dashboard.fixture.state(of: completed) == .completed)
            // Another project's session cannot see it.
            #expect(try await dashboard.signIn(dashboard.betaToken).get(location).status == .notFound)
        }
    }
}
