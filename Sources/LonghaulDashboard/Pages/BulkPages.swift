import Foundation
import LonghaulCore

/// The confirmation before acting on every job matching, its progress, and the report after.
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

    /// A tracked action: done / total, refreshed every 2 s until it ends.
    static func progress(_ record: BulkActionRecord, now: Date, session: DashboardSession) -> HTML {
        let verb = record.action == .cancel ? "Cancel" : "Retry"
        let handled = record.done + record.skipped
        let status: HTML
        if record.finishedAt != nil {
            status = "<p class=\"hint\">Finished at <time>\(Format.time(record.finishedAt))</time>.</p>"
        } else if record.isInterrupted(now: now) {
            status =
                "<p class=\"error\" data-refresh=\"10\">Paused: no progress since <time>\(Format.time(record.updatedAt))</time> (the server running it stopped). The workers take it over a minute after its last step and finish it; no job is acted on twice.</p>"
        } else {
            status = "<p class=\"hint\" data-refresh=\"2\">Running: this page refreshes every 2 s.</p>"
        }
        let error: HTML = record.error.map { "<p class=\"error\">\($0)</p>" } ?? .empty
        let skipped: [HTML] = record.skippedSample.map { "<li><code>\($0.id)</code>: \($0.reason)</li>" }
        let more: HTML = record.skipped > record.skippedSample.count ? "<li>… and \(Format.count(record.skipped - record.skippedSample.count)) more</li>" : .empty
        return Layout.page(
            title: "\(verb) matching jobs", session: session, current: "Jobs",
            """
            <h1>\(verb) every job matching <code>\(record.filters.isEmpty ? "everything" : record.filters)</code></h1>
            <p><progress max="\(max(record.total, 1))" value="\(handled)"></progress>
            <strong class="action-progress">\(Format.count(handled)) / \(Format.count(record.total))</strong> handled:
            <strong class="done-count">\(Format.count(record.done))</strong> done, <span class="skipped-count">\(Format.count(record.skipped))</span> skipped.</p>
            \(status)\(error)
            <ul>\(skipped)\(more)</ul>
            <p><a href="/dashboard/jobs?\(record.filters)">Back to the jobs</a></p>
            """)
    }
}
