import Foundation
import Hummingbird
import Logging
import LonghaulCore

/// Projects, tokens and usage: what `GET /v1/projects`, `/v1/tokens` and `/v1/usage` show,
/// through the same stores and the same scoping (a project token sees its own project only).
extension Dashboard {
    func projectsPage(_ session: DashboardSession) async throws -> Response {
        let list: [Project]
        switch session.caller.principal {
        case .admin: list = try await projects.list(includeArchived: true)
        case .project(let own): list = [try await projects.get(id: own.id)]
        }
        return PageResponse.html(ProjectsPage.render(list, session: session))
    }

    func tokensPage(_ request: Request, _ session: DashboardSession, created: IssuedToken? = nil) async throws -> Response {
        let slug = FormBody(encoded: request.uri.query ?? "").nonEmpty("project")
        let list = try await tokens.list(projectID: try await visibleProjectID(slug: slug, session))
        let slugs = session.caller.principal == .admin ? try await projects.list().map(\.slug) : []
        return PageResponse.html(TokensPage.render(list, projects: slugs, created: created, session: session))
    }

    /// Creates a token (the admin only, as `POST /v1/tokens`) and answers with the page that
    /// shows its secret, once: not a redirect, so the secret is in no URL and no later page.
    func createToken(_ request: Request, _ form: FormBody, _ session: DashboardSession) async throws -> Response {
        guard session.caller.principal == .admin else {
            throw DashboardError(status: 403, title: "Admin only", message: "Only the admin token creates tokens; ask whoever holds it.")
        }
        let name = form.nonEmpty("name") ?? ""
        guard !name.isEmpty else { throw DashboardError.invalid("name the token (who or what uses it)") }
        var projectID: Int64?
        if let slug = form.nonEmpty("project") { projectID = try await projects.get(slug: slug).id }
        let issued = try await tokens.create(name: name, projectID: projectID, readOnly: form["read_only"] == "1")
        logger.info("dashboard: token created", metadata: ["token": "\(issued.token.publicID)"])
        return try await tokensPage(request, session, created: issued)
    }

    /// Revokes a token: the admin only, as the issue has it ("projects and tokens: read; admin can
    /// create/revoke"), so a project token signed in here cannot lock its team out.
    /// `DELETE /v1/tokens/{id}` still lets a program revoke its own project's tokens (rotation).
    func revokeToken(_ publicID: String, _ session: DashboardSession) async throws -> Response {
        guard session.caller.principal == .admin else {
            throw DashboardError(status: 403, title: "Admin only", message: "Only the admin token revokes tokens here; ask whoever holds it.")
        }
        _ = try await tokens.revoke(publicID: publicID, projectID: nil)
        return PageResponse.redirect(to: "/dashboard/tokens")
    }

    func usagePage(_ request: Request, _ session: DashboardSession) async throws -> Response {
        let query = try UsageQuery(FormBody(encoded: request.uri.query ?? ""))
        let now = Date()
        let start = query.start(now: now)
        if let end = query.end, end <= start { throw DashboardError.invalid("'before' must come after 'from'") }
        let rows = try await usage.report(
            projectID: try await visibleProjectID(slug: query.project, session), from: start, to: query.end, groupBy: query.grouping)
        return PageResponse.html(
            UsagePage.render(rows, query: query, start: start, now: now, session: session, showProject: session.caller.principal == .admin))
    }
}
