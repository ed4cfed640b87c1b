import Foundation
import HTTPTypes
import HummingbirdTesting
import LonghaulCore
import NIOCore
import TestSupport
import Testing

@Suite("Dashboard sessions and headers")
struct DashboardSessionTests {
    @Test("pages need a session; sign-in sets an HttpOnly SameSite=Strict cookie; every page has the security headers")
    func signInAndHeaders() async throws {
        try await DashboardHarness.run { dashboard in
            let anonymous = try await dashboard.client.execute(uri: "/dashboard/jobs", method: .get, headers: [:], body: nil)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/dashboard/sign-in")

            let form = try await dashboard.client.execute(uri: "/dashboard/sign-in", method: .get, headers: [:], body: nil)
            #expect(form.status == .ok)
            let policy = try #require(form.headers[.contentSecurityPolicy])
            #expect(policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"))
            #expect(form.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(form.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            #expect(!String(buffer: form.body).contains("<script>"), "no inline script")

            let refused = try await dashboard.client.execute(
                uri: "/dashboard/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "token=lh_not-a-token"))
            #expect(refused.status == .unauthorized)

            let browser = try await dashboard.signIn(dashboard.alphaToken)
            let attributes = browser.setCookie.lowercased()
            #expect(attributes.contains("httponly") && attributes.contains("samesite=strict") && attributes.contains("path=/dashboard"))
            #expect(!attributes.contains("secure"), "plain HTTP without a proxy saying otherwise")
            #expect(!browser.setCookie.contains(dashboard.alphaToken), "the cookie is not the token")
            let overview = try await browser.get("/dashboard")
            #expect(overview.status == .ok)
            #expect(overview.text.contains("project alpha"))
            #expect(overview.headers[.cacheControl] == "no-store")

            let proxied = try await dashboard.client.execute(
                uri: "/dashboard/sign-in", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("X-Forwarded-Proto")!: "https"],
                body: ByteBuffer(string: "token=\(dashboard.alphaToken)"))
            #expect(proxied.headers[.setCookie]?.lowercased().contains("; secure") == true)
        }
    }

    @Test("revoking the token ends its sessions; signing out ends the session even for a copied cookie")
    func revocationAndSignOut() async throws {
        try await DashboardHarness.run { dashboard in
            let tokens = TokenStore(pool: dashboard.fixture.pool)
            let issued = try await tokens.create(name: "temporary", projectID: dashboard.alpha.id)
            let browser = try await dashboard.signIn(issued.secret)
            #expect(try await browser.get("/dashboard/jobs").status == .ok)
            _ = try await tokens.revoke(publicID: issued.token.publicID, projectID: nil)
            #expect(try await browser.get("/dashboard/jobs").status == .seeOther)

            let other = try await dashboard.signIn(dashboard.alphaToken)
            let csrf = try await other.csrfToken()
            #expect(try await other.post("/dashboard/sign-out", fields: [], csrf: csrf).status == .seeOther)
            #expect(try await other.get("/dashboard/jobs").status == .seeOther, "the copied cookie died with the session")
        }
    }

    @Test("a state-changing form without the session's CSRF token, or from another site, is refused and changes nothing")
    func csrfRefused() async throws {
        try await DashboardHarness.run { dashboard in
            let job = try await dashboard.job(in: dashboard.alpha)
            let browser = try await dashboard.signIn(dashboard.alphaToken)
            let missing = try await browser.post("/dashboard/jobs/\(job)/cancel", fields: [], csrf: nil)
            #expect(missing.status == .forbidden)
            let wrong = try await browser.post("/dashboard/jobs/\(job)/cancel", fields: [], csrf: "forged")
            #expect(wrong.status == .forbidden)
            let csrf = try await browser.csrfToken()
            let crossSite = try await browser.post(
                "/dashboard/jobs/\(job)/cancel", fields: [], csrf: csrf, headers: [HTTPField.Name("Origin")!: "https://evil.example.com"])
            #expect(crossSite.status == .forbidden)
            #expect(try await dashboard.fixture.state(of: job) == .queued)

            let done = try await browser.post("/dashboard/jobs/\(job)/cancel", fields: [], csrf: csrf)
            #expect(done.status == .seeOther)
            #expect(try await dashboard.fixture.state(of: job) == .cancelled)
        }
    }

    @Test("a read-only token looks but cannot act, in the dashboard and in the REST API")
    func readOnly() async throws {
        try await DashboardHarness.run { dashboard in
            let job = try await dashboard.job(in: dashboard.alpha)
            let viewer = try await dashboard.signIn(dashboard.alphaReadOnlyToken)
            let page = try await viewer.get("/dashboard/jobs/\(job)")
            #expect(page.status == .ok)
            #expect(page.text.contains("read-only"))
            #expect(!page.text.contains("/cancel\""), "no cancel form for a read-only session")
            let csrf = try await viewer.csrfToken()
            #expect(try await viewer.post("/dashboard/jobs/\(job)/cancel", fields: [], csrf: csrf).status == .forbidden)
            #expect(try await dashboard.fixture.state(of: job) == .queued)

            let bearer: HTTPFields = [.authorization: "Bearer \(dashboard.alphaReadOnlyToken)", .contentType: "application/json"]
            let read = try await dashboard.client.execute(uri: "/v1/jobs/\(job)", method: .get, headers: bearer, body: nil)
            #expect(read.status == .ok)
            let write = try await dashboard.client.execute(uri: "/v1/jobs/\(job)/cancel", method: .post, headers: bearer, body: nil)
            #expect(write.status == .forbidden)
            #expect(String(buffer: write.body).contains("read_only_token"))
            #expect(try await dashboard.fixture.state(of: job) == .queued)
        }
    }

    @Test("the REST API authenticates before it reads a body: a bad token with a malformed body is a 401")
    func authenticateBeforeBody() async throws {
        try await DashboardHarness.run { dashboard in
            for authorization in ["Bearer lh_wrong", nil] {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let authorization { headers[.authorization] = authorization }
                let response = try await dashboard.client.execute(
                    uri: "/v1/jobs", method: .post, headers: headers, body: ByteBuffer(string: #"{"document": 12, "nonsense": "#))
                #expect(response.status == .unauthorized, "\(authorization ?? "no token") → \(response.status)")
            }
        }
    }
}
