public import Hummingbird
public import Logging
public import LonghaulCore
public import Postgres

/// The web dashboard, served under `/dashboard` on the API's port by `longhaul serve`.
///
/// Server-rendered pages (``HTML`` escapes every outside string by construction), sessions opened
/// with an API token (``SessionStore``), a CSRF token on every form that changes something, and
/// the security headers of ``SecurityHeadersMiddleware`` on every answer. Pages read through the
/// same stores as the REST API, scoped by the session's principal the same way, so another
/// project's job is a 404 here as there.
public struct Dashboard: Sendable {
    let sessions: SessionStore
    let jobs: JobStore
    let records: JobRecords
    let overview: OverviewStore
    let projects: ProjectStore
    let usage: UsageStore
    let deliveries: DeliveryStore
    let batches: BatchStore
    let tokens: TokenStore
    let actions: BulkActionStore
    let bulk: BulkActions
    let pool: PostgresPool
    let configuration: DashboardConfiguration
    let logger: Logger

    static let cookieName = "longhaul_session"

    public init(pool: PostgresPool, lookup: CallerLookup, jobs: JobStore, configuration: DashboardConfiguration, logger: Logger) {
        self.pool = pool
        self.sessions = SessionStore(pool: pool, lookup: lookup, lifetime: configuration.sessionLifetime)
        self.jobs = jobs
        self.records = JobRecords(pool: pool)
        self.overview = OverviewStore(pool: pool, queue: JobQueue(pool: pool))
        self.projects = ProjectStore(pool: pool)
        self.usage = UsageStore(pool: pool)
        self.deliveries = DeliveryStore(pool: pool)
        self.batches = BatchStore(pool: pool, jobs: jobs)
        self.tokens = TokenStore(pool: pool)
        self.actions = BulkActionStore(pool: pool)
        self.bulk = BulkActions(pool: pool, jobs: jobs)
        self.configuration = configuration
        self.logger = logger
    }

    /// Adds the dashboard's routes under `/dashboard`.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let group = router.group("dashboard").add(middleware: SecurityHeadersMiddleware<Context>())
        group.get("assets/dashboard.css") { _, _ in Self.asset(PackageResources.dashboard_css, type: "text/css; charset=utf-8") }
        group.get("assets/dashboard.js") { _, _ in Self.asset(PackageResources.dashboard_js, type: "text/javascript; charset=utf-8") }
        group.get("sign-in") { _, _ in PageResponse.html(SignInPage.render()) }
        group.post("sign-in") { request, _ in try await signIn(request) }
        group.post("sign-out") { request, _ in try await act(request) { _, _ in try await signOut(request) } }
        group.get { request, _ in try await page(request) { session in try await overviewPage(session) } }
        group.get("jobs") { request, _ in try await page(request) { session in try await jobsPage(request, session) } }
        group.get("jobs/bulk") { request, _ in try await page(request) { session in try await bulkConfirmation(request, session) } }
        group.post("jobs/bulk") { request, _ in try await act(request) { session, form in try await bulkAction(form, session) } }
        group.post("jobs/selected") { request, _ in try await act(request) { session, form in try await selectedAction(form, session) } }
        group.get("jobs/:job") { request, context in
            let id = try context.parameters.require("job")
            return try await page(request) { session in try await jobPage(id, session) }
        }
        group.post("jobs/:job/:action") { request, context in
            let id = try context.parameters.require("job")
            let action = try context.parameters.require("action")
            return try await act(request) { session, _ in try await jobAction(action, id: id, session) }
        }
        group.get("batches") { request, _ in try await page(request) { session in try await batchesPage(session) } }
        group.get("batches/:batch") { request, context in
            let id = try context.parameters.require("batch")
            return try await page(request) { session in try await batchPage(id, request, session) }
        }
        group.get("batches/:batch/results.jsonl") { request, context in
            let id = try context.parameters.require("batch")
            return try await page(request) { session in try await batchResults(id, session) }
        }
        group.post("batches/:batch/retry") { request, context in
            let id = try context.parameters.require("batch")
            return try await act(request) { session, _ in try await retryBatch(id, session) }
        }
        group.get("actions/:action") { request, context in
            let id = try context.parameters.require("action")
            return try await page(request) { session in try await actionPage(id, session) }
        }
        group.get("projects") { request, _ in try await page(request) { session in try await projectsPage(session) } }
        group.get("tokens") { request, _ in try await page(request) { session in try await tokensPage(request, session) } }
        group.post("tokens") { request, _ in try await act(request) { session, form in try await createToken(request, form, session) } }
        group.post("tokens/:token/revoke") { request, context in
            let id = try context.parameters.require("token")
            return try await act(request) { session, _ in try await revokeToken(id, session) }
        }
        group.get("usage") { request, _ in try await page(request) { session in try await usagePage(request, session) } }
        group.get("deliveries") { request, _ in try await page(request) { session in try await deliveriesPage(session) } }
        group.get("deliveries/:delivery") { request, context in
            let id = try context.parameters.require("delivery")
            return try await page(request) { session in try await deliveryPage(id, session) }
        }
        group.post("deliveries/:delivery/redeliver") { request, context in
            let id = try context.parameters.require("delivery")
            return try await act(request) { session, _ in try await redeliver(id, session) }
        }
    }

    private static func asset(_ bytes: [UInt8], type: String) -> Response {
        PageResponse.bytes(bytes, contentType: type, cacheSeconds: 300)
    }
}
