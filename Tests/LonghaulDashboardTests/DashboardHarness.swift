import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import LonghaulAPI
import LonghaulCore
import NIOCore
import Postgres
import Prometheus
import TestSupport
import Testing

/// The API server (dashboard included) on a fresh database, served in process, with tenants
/// `alpha` and `beta`, a token each, a read-only token for alpha, and the admin token.
struct DashboardHarness: Sendable {
    let client: any TestClientProtocol
    let fixture: StoreFixture
    let alpha: Project
    let beta: Project
    let alphaToken: String
    let betaToken: String
    let alphaReadOnlyToken: String

    static let adminToken = "test-admin-token-0123456789"

    static func run(_ body: @Sendable (DashboardHarness) async throws -> Void) async throws {
        try await StoreFixture.with("dashboard") { fixture in
            _ = try await fixture.projects.ensureDefault()
            let alpha = try await fixture.project("alpha")
            let beta = try await fixture.project("beta")
            let tokens = TokenStore(pool: fixture.pool)
            let alphaToken = try await tokens.create(name: "alpha", projectID: alpha.id).secret
            let betaToken = try await tokens.create(name: "beta", projectID: beta.id).secret
            let readOnly = try await tokens.create(name: "alpha viewer", projectID: alpha.id, readOnly: true).secret
            var logger = Logger(label: "dashboard-test")
            logger.logLevel = .warning
            let server = APIServer(
                configuration: APIConfiguration(adminToken: adminToken), pool: fixture.pool, registry: PrometheusCollectorRegistry(),
                logger: logger)
            try await server.makeApplication().test(.router) { client in
                try await body(
                    DashboardHarness(
                        client: client, fixture: fixture, alpha: alpha, beta: beta, alphaToken: alphaToken, betaToken: betaToken,
                        alphaReadOnlyToken: readOnly))
            }
        }
    }

    /// Signs in with `token` and returns the browser's session.
    func signIn(_ token: String) async throws -> Browser {
        let response = try await client.execute(
            uri: "/dashboard/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "token=\(token)"))
        #expect(response.status == .seeOther, "sign-in answered \(response.status)")
        let setCookie = try #require(response.headers[.setCookie])
        let cookie = try #require(setCookie.split(separator: ";").first.map(String.init))
        return Browser(client: client, cookie: cookie, setCookie: setCookie)
    }

    /// See ``DashboardSeeds/job(in:document:sourcePath:metadata:failedWith:summary:)``.
    func job(
        in project: Project, document: String = DashboardSeeds.defaultDocument, sourcePath: String? = nil,
        metadata: [String: String] = [:], failedWith error: String? = nil, summary: String? = nil
    ) async throws -> String {
        try await DashboardSeeds(fixture: fixture).job(
            in: project, document: document, sourcePath: sourcePath, metadata: metadata, failedWith: error, summary: summary)
    }
}

/// Jobs with the values a page must show safely.
struct DashboardSeeds: Sendable {
    let fixture: StoreFixture
    static let defaultDocument = "A document about rivers. It has two sentences."

    /// Enqueues a job for `project` with the given outside values, optionally ended as failed
    /// with a summary and an error message (as a worker's finalizer would have written them).
    func job(
        in project: Project, document: String = defaultDocument, sourcePath: String? = nil,
        metadata: [String: String] = [:], failedWith error: String? = nil, summary: String? = nil
    ) async throws -> String {
        let request = JobRequest(document: document, metadata: metadata, sourcePath: sourcePath)
        let job = try #require(try await fixture.store.enqueue([fixture.validated(request)], project: project).first)
        if let error { try await end(job.publicID, as: .failed, error: error, summary: summary) }
        return job.publicID
    }

    /// Ends a job as a worker's finalizer would have: its state, result (with usage and the
    /// final Response JSON when given) and one attempt.
    func end(
        _ publicID: String, as state: JobState, error: String? = nil, summary: String? = nil, outputTokens: Int? = nil,
        response: String? = nil
    ) async throws {
        try await fixture.pool.query(
            """
            UPDATE jobs SET state = \(state.rawValue)::job_state, finished_at = now(), attempt = 1 WHERE public_id = \(publicID)
            """)
        let errorCode: String? = error == nil ? nil : "server_error"
        try await fixture.pool.query(
            """
            INSERT INTO results (job_id, output_text, error_code, error_message, input_tokens, cached_tokens, output_tokens,
                                 reasoning_tokens, total_tokens, response)
            SELECT id, \(summary), \(errorCode), \(error), \(outputTokens.map { _ in 1000 }), \(outputTokens.map { _ in 0 }), \(outputTokens),
                   \(outputTokens.map { _ in 0 }), \(outputTokens.map { 1000 + $0 }), \(response)::jsonb
            FROM jobs WHERE public_id = \(publicID)
            """)
        try await fixture.pool.query(
            """
            INSERT INTO attempts (job_id, attempt, outcome, http_status, error_code, error_message, started_at, finished_at)
            SELECT id, 1, \(error == nil ? "completed" : "failed"), \(error == nil ? 200 : 500), \(errorCode), \(error), now(), now()
            FROM jobs WHERE public_id = \(publicID)
            """)
    }
}

/// A signed-in browser: its session cookie, and the CSRF token of the last page it read.
struct Browser: Sendable {
    let client: any TestClientProtocol
    let cookie: String
    /// The whole `Set-Cookie` of sign-in, for checking its attributes.
    let setCookie: String

    func get(_ path: String) async throws -> Page {
        Page(try await client.execute(uri: path, method: .get, headers: [.cookie: cookie], body: nil))
    }

    /// Posts a form; `csrf: nil` leaves the token out.
    func post(_ path: String, fields: [(String, String)], csrf: String?, headers extra: HTTPFields = [:]) async throws -> Page {
        var all = fields
        if let csrf { all.append(("_csrf", csrf)) }
        let body = all.map { "\($0.0)=\(Self.encoded($0.1))" }.joined(separator: "&")
        var headers = extra
        headers[.cookie] = cookie
        headers[.contentType] = "application/x-www-form-urlencoded"
        return Page(try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body)))
    }

    /// The page of a tracked bulk action once it has finished (its work goes on after the
    /// redirect; the page is read until it says so, at most 200 times).
    func finishedAction(_ location: String) async throws -> Page {
        var page = try await get(location)
        for _ in 0..<200 where !page.text.contains("Finished at") {
            try await Task.sleep(for: .milliseconds(50))
            page = try await get(location)
        }
        return page
    }

    /// The CSRF token the dashboard rendered into its forms.
    func csrfToken() async throws -> String {
        let page = try await get("/dashboard/jobs")
        let marker = "name=\"_csrf\" value=\""
        let start = try #require(page.text.range(of: marker)).upperBound
        return String(page.text[start...].prefix { $0 != "\"" })
    }

    static func encoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}

/// A response as text.
struct Page: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String

    init(_ response: TestResponse) {
        status = response.status
        headers = response.headers
        text = String(buffer: response.body)
    }
}
