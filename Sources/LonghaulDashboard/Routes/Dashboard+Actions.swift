import Foundation
import Hummingbird
import Logging
import LonghaulCore

/// Cancel or retry, of one job or many.
typealias JobAction = BulkActions.Action

extension Dashboard {
    /// Most jobs one "everything matching" acts on: the count is stated first, and more than this
    /// is work for `longhaul jobs` or the API, not one request.
    static let bulkLimit = 10_000

    func jobAction(_ name: String, id: String, _ session: DashboardSession) async throws -> Response {
        guard let action = JobAction(rawValue: name) else { throw DashboardError.notFound("Action \(name)") }
        try await perform(action, on: id, session)
        return PageResponse.redirect(to: "/dashboard/jobs/\(JobsQuery.percentEncoded(id))")
    }

    /// Acts on the checked rows of the jobs page.
    func selectedAction(_ form: FormBody, _ session: DashboardSession) async throws -> Response {
        guard let action = form["action"].flatMap(JobAction.init(rawValue:)) else { throw DashboardError.invalid("say cancel or retry") }
        let ids = form.all("id")
        guard !ids.isEmpty else { throw DashboardError.invalid("select at least one job (the boxes at the start of each row)") }
        let outcome = try await perform(action, on: ids, session)
        return PageResponse.html(
            BulkPages.done(action, outcome: outcome, back: "/dashboard/jobs?\(form["return"] ?? "")", session: session))
    }

    /// The confirmation of "everything matching": the filters, and how many jobs they match now.
    func bulkConfirmation(_ request: Request, _ session: DashboardSession) async throws -> Response {
        let form = FormBody(encoded: request.uri.query ?? "")
        guard let action = form["action"].flatMap(JobAction.init(rawValue:)) else { throw DashboardError.invalid("say cancel or retry") }
        let query = try JobsQuery(form)
        let count = try await jobs.countJobs(try await filter(query, session), upTo: Self.bulkLimit + 1)
        return PageResponse.html(BulkPages.confirm(action, query: query, count: count, limit: Self.bulkLimit, session: session))
    }

    /// Acts on every job matching the filters, as confirmed: at most the count the person saw.
    /// The jobs are chosen now and recorded as a tracked action; the work goes on after the
    /// redirect to the action's page, which shows done / total as it advances.
    func bulkAction(_ form: FormBody, _ session: DashboardSession) async throws -> Response {
        guard let action = form["action"].flatMap(JobAction.init(rawValue:)) else { throw DashboardError.invalid("say cancel or retry") }
        guard let confirmed = form["count"].flatMap(Int.init), confirmed > 0, confirmed <= Self.bulkLimit else {
            throw DashboardError.invalid("the confirmation carries no count; start again from the jobs page")
        }
        let query = try JobsQuery(form)
        var filter = try await filter(query, session)
        // Only the jobs the action can change: the rest would be skipped anyway, and the pages stay short.
        if filter.state == nil, action == .retry { filter.state = .failed }
        var ids: [String] = []
        var cursor: String?
        repeat {
            let page = try await jobs.listJobs(filter, limit: 1000, cursor: cursor)
            ids += page.jobs.map(\.publicID)
            cursor = page.nextCursor
        } while cursor != nil && ids.count < confirmed
        let chosen = Array(ids.prefix(confirmed))
        let publicID = try await bulk.create(action, filters: query.queryString(), jobIDs: chosen, projectID: session.caller.principal.projectID)
        let (bulk, logger) = (bulk, logger)
        // Unstructured on purpose: the work outlives the request that confirmed it (10,000 jobs
        // take ~20 s), and its row says how far it got, so the page after the redirect shows
        // progress. A server stopped midway leaves the rest to the workers' Maintainer.
        Task {
            do {
                try await bulk.run(publicID)
            } catch {
                logger.error("dashboard: bulk action stopped", metadata: ["action": "\(publicID)", "error": "\(error)"])
            }
        }
        return PageResponse.redirect(to: "/dashboard/actions/\(JobsQuery.percentEncoded(publicID))")
    }

    /// A tracked action's progress.
    func actionPage(_ publicID: String, _ session: DashboardSession) async throws -> Response {
        let record = try await actions.get(publicID, projectID: session.caller.principal.projectID)
        return PageResponse.html(BulkPages.progress(record, now: Date(), session: session))
    }

    func redeliver(_ id: String, _ session: DashboardSession) async throws -> Response {
        _ = try await deliveries.redeliver(publicID: id, projectID: session.caller.principal.projectID)
        return PageResponse.redirect(to: "/dashboard/deliveries/\(JobsQuery.percentEncoded(id))")
    }

    /// One job: a refusal (not found, wrong state) is the caller's to show.
    private func perform(_ action: JobAction, on id: String, _ session: DashboardSession) async throws {
        switch action {
        case .cancel:
            if case .alreadyFinished(let state) = try await jobs.cancel(publicID: id, projectID: session.caller.principal.projectID) {
                throw StoreError.conflict("it already ended (\(state.rawValue))")
            }
        case .retry: try await jobs.retry(publicID: id, projectID: session.caller.principal.projectID)
        }
    }

    /// Many jobs, one transaction each: what changed, and what was skipped with why.
    func perform(_ action: JobAction, on ids: [String], _ session: DashboardSession) async throws -> BulkOutcome {
        var outcome = BulkOutcome()
        for id in ids {
            do {
                try await perform(action, on: id, session)
                outcome.done += 1
            } catch let error as StoreError {
                outcome.skipped.append((id, error.description))
            }
        }
        return outcome
    }
}

/// What a bulk action did.
struct BulkOutcome: Sendable {
    var done = 0
    var skipped: [(id: String, reason: String)] = []
}
