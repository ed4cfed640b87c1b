import LonghaulCore

/// The confirmation before acting on every job matching, and the report after.
enum BulkPages {
    static func confirm(_ action: JobAction, query: JobsQuery, count: Int, limit: Int, session: DashboardSession) -> HTML {
        let verb = action == .cancel ? "Cancel" : "Retry"
        let hidden: [HTML] = zip(
            JobsQuery.names,
            [query.state?.rawValue, query.project, query.batch, query.model, query.meta, query.from, query.to, query.search]
        )
        .compactMap { name, value -> HTML? in value.map { "<input type=\"hidden\" name=\"\(name)\" value=\"\($0)\">" } }
        let filters = query.queryString()
        let body: HTML
        if count == 0 {
            body = "<p>No job matches these filters.</p>"
        } else if count > limit {
            body =
                "<p class=\"error\">More than \(Format.count(limit)) jobs match: narrow the filters, or use <code>longhaul jobs</code> or the API.</p>"
        } else {
            body = """
                <p>\(verb) <strong class="count">\(Format.count(count))</strong> job\(count == 1 ? "" : "s") matching <code>\(filters.isEmpty ? "everything" : filters)</code>?
                \(action == .retry ? "Only failed or incomplete jobs can be retried; the others are skipped and listed." : "Jobs that already ended are skipped and listed.")</p>
                <form method="post" action="/dashboard/jobs/bulk">\(Layout.csrfField(session))\(hidden)
                <input type="hidden" name="action" value="\(action.rawValue)"><input type="hidden" name="count" value="\(count)">
                <button type="submit">\(verb) \(Format.count(count)) jobs</button></form>
                """
        }
        return Layout.page(
            title: "\(verb) matching jobs", session: session, current: "Jobs",
            "<h1>\(verb) every job matching</h1>\(body)<p><a href=\"/dashboard/jobs?\(filters)\">Back to the jobs</a></p>")
    }

    static func done(_ action: JobAction, outcome: BulkOutcome, back: String, session: DashboardSession) -> HTML {
        let skipped: [HTML] = outcome.skipped.prefix(100).map { "<li><code>\($0.id)</code>: \($0.reason)</li>" }
        return Layout.page(
            title: "Done", session: session, current: "Jobs",
            """
            <h1>\(action == .cancel ? "Cancelled" : "Retried")</h1>
            <p><strong class="done-count">\(Format.count(outcome.done))</strong> done, \(Format.count(outcome.skipped.count)) skipped.</p>
            <ul>\(skipped)</ul>
            <p><a href="\(back)">Back to the jobs</a></p>
            """)
    }
}
