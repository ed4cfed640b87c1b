import LonghaulCore

/// The projects a session sees, with their limits and state; each links to its jobs and usage.
enum ProjectsPage {
    static func render(_ projects: [Project], session: DashboardSession) -> HTML {
        let rows: [HTML] = projects.map { project -> HTML in
            let slug = JobsQuery.percentEncoded(project.slug)
            let state: HTML
            if let archived = project.archivedAt {
                state = "archived \(Format.time(archived))"
            } else if let hold = project.hold {
                state = "<span class=\"error\">\(hold.message(project: project.slug))</span>"
            } else {
                state = "active"
            }
            let tags = project.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return """
                <tr><td>\(project.slug)</td><td>\(state)</td><td>\(project.defaultModel)</td><td class="num">\(project.maxInFlight)</td>\
                <td class="num">\(project.tokensPerMinute.map { Format.count($0) } ?? "none")</td><td class="num">\(project.maxAttempts)</td>\
                <td class="source">\(HTMLEscaping.shortened(tags, to: 120))</td><td>\(Format.time(project.createdAt))</td>\
                <td><a href="/dashboard/jobs?project=\(slug)">jobs</a> · <a href="/dashboard/usage?project=\(slug)">usage</a> · \
                <a href="/dashboard/tokens?project=\(slug)">tokens</a></td></tr>
                """
        }
        return Layout.page(
            title: "Projects", session: session, current: "Projects",
            """
            <h1>Projects</h1>
            <p class="hint">Change a project with <code>longhaul projects update</code> or <code>PATCH /v1/projects/{slug}</code>.</p>
            <table><thead><tr><th>project</th><th>state</th><th>default model</th><th class="num">max in flight</th>\
            <th class="num">tokens / min</th><th class="num">max attempts</th><th>tags</th><th>created</th><th></th></tr></thead>
            <tbody>\(rows.isEmpty ? HTML("<tr><td colspan=\"9\">No project.</td></tr>") : HTML.joined(rows))</tbody></table>
            """)
    }
}
