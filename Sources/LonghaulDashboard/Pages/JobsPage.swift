import LonghaulCore

/// The jobs list: the filter form (a GET, so the URL is the view), one page of rows with tokens
/// and cost, and the actions on the selected rows or on every job matching.
enum JobsPage {
    static func render(
        query: JobsQuery, page: JobPage, prices: PriceList, session: DashboardSession, showProject: Bool
    ) -> HTML {
        let rows: [HTML] = page.jobs.map { row($0, prices: prices, session: session, showProject: showProject) }
        let next: HTML =
            page.nextCursor.map { cursor -> HTML in
                var later = query
                later.cursor = cursor
                return "<a class=\"next\" href=\"/dashboard/jobs?\(later.queryString(includingCursor: true))\">Older jobs →</a>"
            } ?? .empty
        let filters = query.queryString()
        let actions: HTML =
            session.mayAct
            ? """
            <div class="actions">
            <button type="submit" name="action" value="cancel" data-confirm="Cancel the selected jobs?">Cancel selected</button>
            <button type="submit" name="action" value="retry" data-confirm="Retry the selected jobs?">Retry selected</button>
            <a href="/dashboard/jobs/bulk?action=cancel&amp;\(filters)">Cancel all matching…</a>
            <a href="/dashboard/jobs/bulk?action=retry&amp;\(filters)">Retry all matching…</a>
            </div>
            """ : .empty
        return Layout.page(
            title: "Jobs", session: session, current: "Jobs",
            """
            <h1>Jobs</h1>
            \(filterForm(query, showProject: showProject))
            <form method="post" action="/dashboard/jobs/selected">\(Layout.csrfField(session))
            <input type="hidden" name="return" value="\(filters)">
            \(actions)
            <table class="jobs"><thead><tr>\(session.mayAct ? HTML("<th></th>") : .empty)<th>job</th>\(showProject ? HTML("<th>project</th>") : .empty)<th>state</th><th>source</th><th>model</th><th>created</th><th>deadline</th><th class="num">input</th><th class="num">output</th><th class="num">cost</th></tr></thead>
            <tbody>\(rows.isEmpty ? HTML("<tr><td colspan=\"11\">No job matches.</td></tr>") : HTML.joined(rows))</tbody></table>
            </form>
            \(next)
            """)
    }

    private static func row(_ job: JobDetail, prices: PriceList, session: DashboardSession, showProject: Bool) -> HTML {
        let price = prices.price(of: job.model, tier: job.servedTier ?? job.serviceTier)
        let cost = job.usage.flatMap { usage in price.map { $0.cost(of: usage) } }
        let currency = price?.currency ?? "USD"
        let check: HTML =
            session.mayAct
            ? "<td><input type=\"checkbox\" name=\"id\" value=\"\(job.publicID)\" aria-label=\"select \(job.publicID)\"></td>" : .empty
        let source = HTMLEscaping.shortened(
            job.sourcePath ?? job.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "), to: 80)
        return """
            <tr>\(check)<td><a href="/dashboard/jobs/\(JobsQuery.percentEncoded(job.publicID))">\(job.publicID)</a></td>\(showProject ? HTML("<td>\(job.project)</td>") : .empty)\
            <td>\(Format.state(job.state))</td><td class="source">\(source)</td><td>\(job.model)</td><td>\(Format.time(job.createdAt))</td><td class="deadline">\(deadline(job))</td>\
            <td class="num">\(job.usage.map { Format.count($0.inputTokens) } ?? "–")</td><td class="num">\(job.usage.map { Format.count($0.outputTokens) } ?? "–")</td>\
            <td class="num">\(cost.map { Format.cost($0, currency: currency) } ?? "–")</td></tr>
            """
    }

    private static func filterForm(_ query: JobsQuery, showProject: Bool) -> HTML {
        let states: [HTML] =
            [HTML("<option value=\"\">any state</option>")]
            + JobState.allCases.map { state in
                query.state == state
                    ? "<option value=\"\(state.rawValue)\" selected>\(state.rawValue)</option>"
                    : "<option value=\"\(state.rawValue)\">\(state.rawValue)</option>"
            }
        let project: HTML = showProject ? field("project", "project", query.project, placeholder: "slug") : .empty
        return """
            <form method="get" action="/dashboard/jobs" class="filters">
            <label>state <select name="state">\(states)</select></label>
            \(project)\(field("batch", "batch", query.batch, placeholder: "batch_…"))\(field("model", "model", query.model, placeholder: "openai.gpt-oss-120b"))\
            \(field("meta", "metadata", query.meta, placeholder: "key=value"))\(field("from", "created from", query.from, placeholder: "2026-12-01"))\
            \(field("to", "created before", query.to, placeholder: "2026-12-02"))\(field("q", "source name", query.search, placeholder: "contract"))
            <button type="submit">Filter</button> <a href="/dashboard/jobs">clear</a>
            </form>
            """
    }

    private static func field(_ name: String, _ label: String, _ value: String?, placeholder: String) -> HTML {
        "<label>\(label) <input name=\"\(name)\" value=\"\(value ?? "")\" placeholder=\"\(placeholder)\"></label>"
    }

    /// A job's deadline in a list cell: the time, marked urgent once it is claimed ahead of its
    /// project's other jobs (`longhaul_urgent_at`); "–" without one.
    static func deadline(_ job: JobDetail) -> HTML {
        guard let deadline = job.deadline else { return "–" }
        return job.urgent && !job.state.isTerminal
            ? "\(Format.time(deadline)) <strong class=\"urgent\">urgent</strong>" : "\(Format.time(deadline))"
    }

    /// The job page's deadline fact (nothing without one).
    static func deadlineFact(_ job: JobDetail) -> HTML {
        guard job.deadline != nil else { return .empty }
        let note: HTML = job.urgent && !job.state.isTerminal ? " (claimed before its project's other queued jobs)" : .empty
        return "<dt>deadline</dt><dd class=\"deadline\">\(deadline(job))\(note)</dd>"
    }
}
