import Foundation
import HTTPTypes
import LonghaulCore
import Postgres
import TestSupport
import Testing

@Suite("Dashboard projects, tokens, usage and the Response JSON")
struct DashboardAdminPagesTests {
    @Test("the admin creates a token: its secret is on the answer to the form and on no later page; a project sees its own tokens")
    func tokens() async throws {
        try await DashboardHarness.run { dashboard in
            let admin = try await dashboard.signIn(DashboardHarness.adminToken)
            let name = "\"><img src=x onerror=window.__pwned=1>"
            let created = try await admin.post(
                "/dashboard/tokens", fields: [("name", name), ("project", "alpha"), ("read_only", "1")], csrf: try await admin.csrfToken())
            #expect(created.status == .ok)
            #expect(created.headers[.cacheControl] == "no-store")
            let marker = "<pre class=\"text\" id=\"new-secret\">"
            let start = try #require(created.text.range(of: marker)).upperBound
            let secret = String(created.text[start...].prefix { $0 != "<" })
            #expect(secret.hasPrefix("lh_"))
            #expect(!created.text.contains("<img"), "the token's name is text")
            let caller = try #require(try await TokenStore(pool: dashboard.fixture.pool).caller(secret: secret))
            #expect(caller.readOnly && caller.principal.projectID == dashboard.alpha.id, "a read-only token of alpha")
            let later = try await admin.get("/dashboard/tokens")
            #expect(later.text.contains("&quot;&gt;&lt;img") && !later.text.contains(secret), "listed by name and id, never the secret")

            let alpha = try await dashboard.signIn(dashboard.alphaToken)
            let own = try await alpha.get("/dashboard/tokens")
            #expect(own.status == .ok && own.text.contains("alpha viewer") && !own.text.contains(">beta<"), "alpha's tokens only")
            #expect(!own.text.contains("action=\"/dashboard/tokens\""), "no form to create one")
            #expect(try await alpha.get("/dashboard/tokens?project=beta").status == .notFound)
            let refused = try await alpha.post("/dashboard/tokens", fields: [("name", "mine"), ("project", "alpha")], csrf: try await alpha.csrfToken())
            #expect(refused.status == .forbidden)
            let viewer = try await dashboard.signIn(dashboard.alphaReadOnlyToken)
            let betaTokens = try await TokenStore(pool: dashboard.fixture.pool).list(projectID: dashboard.beta.id)
            let betaToken = try #require(betaTokens.first).publicID
            // Revoking is the admin's, here (the REST API still lets a project revoke its own tokens).
            #expect(try await alpha.post("/dashboard/tokens/\(betaToken)/revoke", fields: [], csrf: try await alpha.csrfToken()).status == .forbidden)
            let alphaViewer = try #require(try await TokenStore(pool: dashboard.fixture.pool).list(projectID: dashboard.alpha.id)
                .first { $0.name == "alpha viewer" })
            #expect(!own.text.contains("/revoke\""), "no revoke button for a project token")
            #expect(try await alpha.post("/dashboard/tokens/\(alphaViewer.publicID)/revoke", fields: [], csrf: try await alpha.csrfToken()).status
                    == .forbidden)
            #expect(try await TokenStore(pool: dashboard.fixture.pool).caller(secret: dashboard.alphaReadOnlyToken) != nil, "still active")
            #expect(try await viewer.post("/dashboard/tokens/\(betaToken)/revoke", fields: [], csrf: try await viewer.csrfToken()).status == .forbidden)
            let revoked = try await admin.post("/dashboard/tokens/\(betaToken)/revoke", fields: [], csrf: try await admin.csrfToken())
            #expect(revoked.status == .seeOther)
            #expect(try await TokenStore(pool: dashboard.fixture.pool).caller(secret: dashboard.betaToken) == nil, "beta's token is revoked")
        }
    }

    @Test("projects and usage: a project sees its own, by day, model or tag with cost; hostile tag values are text")
    func projectsAndUsage() async throws {
        try await DashboardHarness.run { dashboard in
            try await UsageStore(pool: dashboard.fixture.pool).setPrice(
                ModelPrice(model: "openai.gpt-oss-120b", inputPerMillion: 1, outputPerMillion: 10))
            let seeds = DashboardSeeds(fixture: dashboard.fixture)
            let hostile = "<script>window.__pwned=1</script>"
            let mine = try await dashboard.job(in: dashboard.alpha, metadata: ["customer": hostile])
            try await seeds.end(mine, as: .completed, summary: "Fine.", outputTokens: 200)
            let theirs = try await dashboard.job(in: dashboard.beta, metadata: ["customer": "beta-customer"])
            try await seeds.end(theirs, as: .completed, summary: "Fine.", outputTokens: 900)

            let alpha = try await dashboard.signIn(dashboard.alphaToken)
            let projects = try await alpha.get("/dashboard/projects")
            #expect(projects.status == .ok && projects.text.contains("<td>alpha</td>") && !projects.text.contains("<td>beta</td>"))
            let byTag = try await alpha.get("/dashboard/usage?group=tag&tag=customer")
            #expect(byTag.status == .ok)
            #expect(byTag.text.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;") && !byTag.text.contains("<script>window"))
            #expect(!byTag.text.contains("beta-customer"), "beta's jobs are not in alpha's usage")
            let byModel = try await alpha.get("/dashboard/usage?group=model")
            #expect(byModel.text.contains("openai.gpt-oss-120b") && byModel.text.contains("0.0030 USD"))
            let byDay = try await alpha.get("/dashboard/usage")
            let today = Date().formatted(.iso8601.year().month().day())
            #expect(byDay.text.contains(">\(today)</td>"))
            #expect(try await alpha.get("/dashboard/usage?project=beta").status == .notFound)
            #expect(try await alpha.get("/dashboard/usage?group=week").status == .badRequest)

            let admin = try await dashboard.signIn(DashboardHarness.adminToken)
            let all = try await admin.get("/dashboard/projects")
            #expect(all.text.contains("<td>alpha</td>") && all.text.contains("<td>beta</td>"))
            #expect(try await admin.get("/dashboard/usage?group=tag&tag=customer&project=beta").text.contains("beta-customer"))
        }
    }

    @Test("a job's page shows its final Response JSON pretty-printed, as text, with credential fields redacted")
    func responseJSON() async throws {
        try await DashboardHarness.run { dashboard in
            let id = try await dashboard.job(in: dashboard.alpha)
            let response = """
                {"id": "resp_123", "status": "completed", "output": [{"type": "message", "content": [{"type": "output_text", \
                "text": "<script>window.__pwned=1</script>"}]}], "metadata": {"authorization": "Bearer sk-very-secret"}}
                """
            try await DashboardSeeds(fixture: dashboard.fixture).end(id, as: .completed, summary: "Fine.", outputTokens: 10, response: response)
            let page = try await dashboard.signIn(dashboard.alphaToken).get("/dashboard/jobs/\(id)")
            #expect(page.status == .ok)
            #expect(page.text.contains("<pre class=\"text json\" id=\"response-json\">{\n  &quot;id&quot; : &quot;resp_123&quot;"))
            #expect(page.text.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;") && !page.text.contains("<script>window"))
            #expect(!page.text.contains("sk-very-secret") && page.text.contains("[redacted]"))
            #expect(page.text.contains("<h2>Document</h2>"), "the document beside the summary")
        }
    }
}
