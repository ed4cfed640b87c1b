import Foundation
import LonghaulCore

/// Tokens, jobs and cost of the jobs that ended in a period, by day, model or tag.
enum UsagePage {
    static func render(
        _ rows: [UsageRow], query: UsageQuery, start: Date, now: Date, session: DashboardSession, showProject: Bool
    ) -> HTML {
        let groupName = query.tagKey != nil ? "tag" : query.grouping.name
        // Parameters already chosen, kept by the period links.
        let narrowing =
            (query.tagKey.map { "&tag=\(JobsQuery.percentEncoded($0))" } ?? "")
            + (query.project.map { "&project=\(JobsQuery.percentEncoded($0))" } ?? "")
        let groups: [HTML] = [("day", "day"), ("model", "model"), ("tag", "tag")].map { value, label -> HTML in
            let selected = value == (query.tagKey != nil ? "tag" : query.grouping.name)
            return selected ? "<option value=\"\(value)\" selected>\(label)</option>" : "<option value=\"\(value)\">\(label)</option>"
        }
        let project: HTML =
            showProject ? "<label>project <input name=\"project\" value=\"\(query.project ?? "")\" placeholder=\"slug\"></label>" : .empty
        let label = query.tagKey.map { "tag \($0)" } ?? query.grouping.name
        return Layout.page(
            title: "Usage", session: session, current: "Usage",
            """
            <h1>Usage</h1>
            <form method="get" action="/dashboard/usage" class="filters">
            <label>group by <select name="group">\(groups)</select></label>
            <label>tag <input name="tag" value="\(query.tagKey ?? "")" placeholder="customer"></label>
            \(project)<label>finished from <input name="from" value="\(query.from ?? "")" placeholder="2026-12-01"></label>
            <label>before <input name="to" value="\(query.to ?? "")" placeholder="2026-12-02"></label>
            <button type="submit">Show</button>
            </form>
            <p class="hint">Jobs that ended from <time>\(Format.time(start))</time>\(query.end.map { " to \(Format.time($0))" } ?? " until now")\
            \(query.from == nil ? " (the last \(UsageQuery.defaultHours) hours unless a start is given)" : ""); \
            <a href="/dashboard/usage?group=\(groupName)&amp;from=\(day(now, daysBack: 7))\(narrowing)">the last 7 days</a>, \
            <a href="/dashboard/usage?group=\(groupName)&amp;from=\(day(now, daysBack: 30))\(narrowing)">the last 30 days</a>. \
            Cost from the model prices (<code>longhaul usage prices list</code>: shipped, or the operator's over them); a split job counts each of its calls at its own model.</p>
            \(UsageTable.render(rows, groupLabel: label))
            """)
    }

    /// The UTC day `daysBack` days before `now`, as `from` takes it.
    private static func day(_ now: Date, daysBack: Int) -> String {
        now.addingTimeInterval(-Double(daysBack) * 86_400).formatted(.iso8601.year().month().day())
    }
}
