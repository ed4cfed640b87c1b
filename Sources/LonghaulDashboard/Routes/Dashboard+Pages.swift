import Foundation
import Hummingbird
import LonghaulCore

extension Dashboard {
    func overviewPage(_ session: DashboardSession) async throws -> Response {
        let projects = try await overview.projects(projectID: session.caller.principal.projectID)
        return PageResponse.html(OverviewPage.render(projects, session: session, windowMinutes: overview.windowMinutes))
    }

    func jobsPage(_ request: Request, _ session: DashboardSession) async throws -> Response {
        let query = try JobsQuery(FormBody(encoded: request.uri.query ?? ""))
        let filter = try await filter(query, session)
        let page = try await jobs.listJobs(filter, limit: configuration.pageSize, cursor: query.cursor)
        return PageResponse.html(
            JobsPage.render(
                query: query, page: page, prices: try await prices(), session: session,
                showProject: session.caller.principal.projectID == nil))
    }

    func jobPage(_ publicID: String, _ session: DashboardSession) async throws -> Response {
        let job = try await jobs.job(publicID: publicID, projectID: session.caller.principal.projectID)
        async let attempts = records.attempts(jobID: job.id)
        async let document = records.document(jobID: job.id)
        async let response = records.response(jobID: job.id)
        let sent = try await deliveries.list(projectID: session.caller.principal.projectID, jobPublicID: job.publicID, limit: 20)
        var details: [DeliveryDetail] = []
        for delivery in sent {
            details.append(try await deliveries.detail(publicID: delivery.publicID, projectID: session.caller.principal.projectID))
        }
        let timeline = JobTimeline.of(job, attempts: try await attempts, deliveries: details)
        return PageResponse.html(
            JobDetailPage.render(
                job, timeline: timeline, document: try await document, response: try await response, price: try await prices().price(of: job.model, tier: job.servedTier ?? job.serviceTier), session: session))
    }

    func batchesPage(_ session: DashboardSession) async throws -> Response {
        let batches = try await BatchListRow.newest(pool: pool, projectID: session.caller.principal.projectID, limit: 100)
        return PageResponse.html(BatchesPage.render(batches, session: session))
    }

    func deliveriesPage(_ session: DashboardSession) async throws -> Response {
        let list = try await deliveries.list(projectID: session.caller.principal.projectID, limit: 100)
        return PageResponse.html(DeliveriesPage.list(list, session: session))
    }

    func deliveryPage(_ publicID: String, _ session: DashboardSession) async throws -> Response {
        let detail = try await deliveries.detail(publicID: publicID, projectID: session.caller.principal.projectID)
        return PageResponse.html(DeliveriesPage.detail(detail, session: session))
    }

    /// The store's filter for a query, within what the session sees.
    func filter(_ query: JobsQuery, _ session: DashboardSession) async throws -> JobFilter {
        query.filter(projectID: try await visibleProjectID(slug: query.project, session))
    }

    /// The project a page is narrowed to: the session's own for a project token (another slug
    /// is a 404, as in the REST API), the named one or all (nil) for the admin.
    func visibleProjectID(slug: String?, _ session: DashboardSession) async throws -> Int64? {
        switch (session.caller.principal, slug) {
        case (.admin, nil): return nil
        case (.admin, .some(let slug)): return try await projects.get(slug: slug).id
        case (.project(let own), nil): return own.id
        case (.project(let own), .some(let slug)):
            guard own.slug == slug else { throw DashboardError.notFound("Project \(slug)") }
            return own.id
        }
    }

    /// Prices by model (a small table, read per page).
    func prices() async throws -> PriceList {
        PriceList(try await usage.prices())
    }
}
