import Foundation
import HTTPTypes
import LonghaulCore
import Postgres
import TestSupport
import Testing

@Suite("Dashboard pages")
struct DashboardPagesTests {
    /// Values a tenant controls (file names, metadata, summaries) or Mantle does (error messages).
    static let hostile = [
        "<script>window.__pwned=1</script>", "\"><img src=x onerror=window.__pwned=1>", "javascript:window.__pwned=1",
        "report\u{202E}fdp.exe", String(repeating: "W", count: 5_000),
    ]

    @Test("every outside string on the jobs list and the job page is text: no tag, attribute or link it could inject")
    func hostileValuesEscaped() async throws {
        try await DashboardHarness.run { dashboard in
            var ids: [String] = []
            for (index, value) in Self.hostile.enumerated() {
                ids.append(
                    try await dashboard.job(
                        in: dashboard.alpha, document: "Document \(index): \(value)", sourcePath: "\(value).txt",
                        metadata: ["customer": String(value.prefix(500)), "k\(index)": "v"], failedWith: "Mantle said: \(value)",
                        summary: "Summary: \(value)"))
            }
            let browser = try await dashboard.signIn(dashboard.alphaToken)
            var pages = [
                try await browser.get("/dashboard/jobs"), try await browser.get("/dashboard"),
                try await browser.get("/dashboard/jobs?q=\(Browser.encoded("<script>"))"),
            ]
            for id in ids { pages.append(try await browser.get("/dashboard/jobs/\(id)")) }
            for page in pages {
                #expect(page.status == .ok)
                #expect(!page.text.contains("<script>window"), "a script tag got through")
                #expect(!page.text.contains("<img"), "an img tag got through")
                #expect(!page.text.contains("\"><img"), "a quote closed an attribute")
                #expect(!page.text.contains("href=\"javascript:"), "a javascript: link")
                #expect(!page.text.contains("\u{202E}"), "a raw right-to-left override")
                #expect(!page.text.contains("<script>"), "any inline script at all")
            }
            let detail = pages[3]
            #expect(detail.text.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;"), "shown as text")
            #expect(pages[6].text.contains("[U+202E]"))
            #expect(detail.text.contains("Mantle said: &lt;script&gt;"))
        }
    }

    @Test("a streaming job's page shows the text of its last checkpoint as text, with its age")
    func partialTextEscaped() async throws {
        try await DashboardHarness.run { dashboard in
            let id = try await dashboard.job(in: dashboard.alpha)
            try await dashboard.fixture.pool.query(
                """
                UPDATE jobs SET state = 'running', held = true, attempt = 1, submitted_at = now() - interval '10 seconds',
                                partial_text = \("So far: " + Self.hostile[0] + Self.hostile[1]), partial_output_tokens = 17,
                                checkpointed_at = now() - interval '2 seconds'
                WHERE public_id = \(id)
                """)
            let page = try await dashboard.signIn(dashboard.alphaToken).get("/dashboard/jobs/\(id)")
            #expect(page.status == .ok)
            #expect(page.text.contains("Still streaming"))
            #expect(page.text.contains("17 output tokens"))
            #expect(page.text.contains("So far: &lt;script&gt;window.__pwned=1&lt;/script&gt;"), "shown as text")
            #expect(!page.text.contains("<script>window"))
            #expect(!page.text.contains("<img"))
        }
    }

    @Test("a job's deadline, and that it turned urgent, show on its page and in the jobs list")
    func deadlineAndUrgent() async throws {
        try await DashboardHarness.run { dashboard in
            let id = try await dashboard.job(in: dashboard.alpha)
            let plain = try await dashboard.job(in: dashboard.alpha)
            try await dashboard.fixture.pool.query(
                "UPDATE jobs SET deadline = '2031-05-06 07:08:09+00', urgent = true WHERE public_id = \(id)")
            let browser = try await dashboard.signIn(dashboard.alphaToken)
            let page = try await browser.get("/dashboard/jobs/\(id)")
            #expect(page.text.contains("<dt>deadline</dt>") && page.text.contains("2031-05-06 07:08:09"))
            #expect(page.text.contains("class=\"urgent\"") && page.text.contains("claimed before its project's other queued jobs"))
            #expect(!(try await browser.get("/dashboard/jobs/\(plain)").text.contains("<dt>deadline</dt>")), "no deadline, no line")
            let list = try await browser.get("/dashboard/jobs")
            #expect(list.text.contains("<th>deadline</th>") && list.text.contains("2031-05-06 07:08:09 <strong class=\"urgent\">urgent</strong>"))
        }
    }

    @Test("another tenant's job, batch, usage, tokens, project and actions are a 404 in the dashboard, and nothing of theirs shows")
    func tenantIsolation() async throws {
        try await DashboardHarness.run { dashboard in
            let secret = "Beta's confidential merger memo."
            let job = try await dashboard.job(in: dashboard.beta, document: secret, sourcePath: "beta-secret.txt")
            let browser = try await dashboard.signIn(dashboard.alphaToken)
            #expect(try await browser.get("/dashboard/jobs/\(job)").status == .notFound)
            #expect(try await browser.get("/dashboard/jobs?project=beta").status == .notFound)
            let batch = try await BatchStore(pool: dashboard.fixture.pool, jobs: dashboard.fixture.store).createBatch(
                project: dashboard.beta, name: "beta-secret batch", source: nil, webhookURL: nil)
            try await dashboard.fixture.enqueue(1, into: dashboard.beta, batchID: batch.id)
            for path in [
                "/dashboard/batches/\(batch.publicID)", "/dashboard/batches/\(batch.publicID)/results.jsonl", "/dashboard/usage?project=beta",
                "/dashboard/tokens?project=beta",
            ] {
                #expect(try await browser.get(path).status == .notFound, "\(path) is beta's")
            }
            let csrf = try await browser.csrfToken()
            #expect(try await browser.post("/dashboard/batches/\(batch.publicID)/retry", fields: [], csrf: csrf).status == .notFound)
            #expect(try await browser.post("/dashboard/jobs/\(job)/cancel", fields: [], csrf: csrf).status == .notFound)
            let selected = try await browser.post("/dashboard/jobs/selected", fields: [("action", "cancel"), ("id", job)], csrf: csrf)
            #expect(selected.text.contains("0</strong> done"))
            #expect(try await dashboard.fixture.state(of: job) == .queued)
            for path in [
                "/dashboard/jobs", "/dashboard", "/dashboard/batches", "/dashboard/deliveries", "/dashboard/usage", "/dashboard/projects",
                "/dashboard/tokens", "/dashboard/usage?group=model",
            ] {
                let page = try await browser.get(path)
                #expect(page.status == .ok)
                #expect(
                    !page.text.contains(job) && !page.text.contains("beta-secret") && !page.text.contains(secret)
                        && !page.text.contains(batch.publicID) && !page.text.contains(">beta<"),
                    "\(path) shows beta's job")
            }
            let admin = try await dashboard.signIn(DashboardHarness.adminToken)
            #expect(try await admin.get("/dashboard/jobs/\(job)").text.contains("confidential merger memo"))
        }
    }

    @Test("filters combine with AND, live in the URL, and pages are keyset pages")
    func filtersAndPages() async throws {
        try await DashboardHarness.run { dashboard in
            let acmeFailed = try await dashboard.job(
                in: dashboard.alpha, sourcePath: "acme/q3.pdf", metadata: ["customer": "acme"], failedWith: "boom")
            let acmeQueued = try await dashboard.job(in: dashboard.alpha, sourcePath: "acme/q4.pdf", metadata: ["customer": "acme"])
            let otherFailed = try await dashboard.job(
                in: dashboard.alpha, sourcePath: "zeta/q3.pdf", metadata: ["customer": "zeta"], failedWith: "boom")
            let browser = try await dashboard.signIn(dashboard.alphaToken)
            let both = try await browser.get("/dashboard/jobs?state=failed&meta=customer%3Dacme")
            #expect(both.text.contains(acmeFailed) && !both.text.contains(acmeQueued) && !both.text.contains(otherFailed))
            let search = try await browser.get("/dashboard/jobs?q=q3&state=failed")
            #expect(search.text.contains(acmeFailed) && search.text.contains(otherFailed) && !search.text.contains(acmeQueued))
            #expect(search.text.contains("value=\"q3\""), "the form shows the filter it applied")
            #expect(try await browser.get("/dashboard/jobs?state=sleeping").status == .badRequest)
            let overview = try await browser.get("/dashboard")
            #expect(overview.text.contains("<code>server_error</code> 2"), "errors by code over the last 24 h")
            #expect(overview.text.contains("state-failed\">failed</span> 2"), "ended jobs by state")
            #expect(overview.text.contains("state-queued\">queued</span> 1"), "unfinished jobs by state")

            for index in 0..<55 { _ = try await dashboard.job(in: dashboard.alpha, document: "Filler \(index). A sentence.") }
            let first = try await browser.get("/dashboard/jobs")
            let marker = "href=\"/dashboard/jobs?cursor="
            let start = try #require(first.text.range(of: marker)).upperBound
            let cursor = String(first.text[start...].prefix { $0 != "\"" })
            let second = try await browser.get("/dashboard/jobs?cursor=\(cursor)")
            #expect(second.text.contains(acmeFailed) && !first.text.contains(acmeFailed), "the oldest job is on the second page")
        }
    }

    @Test("cancel everything matching: the confirmation states the count, the action does exactly that many")
    func bulkCancel() async throws {
        try await DashboardHarness.run { dashboard in
            var queued: [String] = []
            for index in 0..<3 {
                queued.append(try await dashboard.job(in: dashboard.alpha, document: "Bulk \(index). A sentence.", metadata: ["run": "7"]))
            }
            let untouched = try await dashboard.job(in: dashboard.alpha, metadata: ["run": "8"])
            let browser = try await dashboard.signIn(dashboard.alphaToken)
            let confirm = try await browser.get("/dashboard/jobs/bulk?action=cancel&meta=run%3D7")
            #expect(confirm.text.contains("<strong class=\"count\">3</strong>"))
            let csrf = try await browser.csrfToken()
            let posted = try await browser.post(
                "/dashboard/jobs/bulk", fields: [("action", "cancel"), ("count", "3"), ("meta", "run=7")], csrf: csrf)
            let done = try await browser.finishedAction(try #require(posted.headers[.location]))
            #expect(done.text.contains("<strong class=\"done-count\">3</strong>"))
            for id in queued { #expect(try await dashboard.fixture.state(of: id) == .cancelled) }
            #expect(try await dashboard.fixture.state(of: untouched) == .queued)
        }
    }
}
