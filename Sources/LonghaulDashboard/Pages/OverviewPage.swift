import LonghaulCore

/// Per project: jobs by state, the last hours per minute against the budget, errors, queue lag.
enum OverviewPage {
    static func render(_ projects: [ProjectOverview], session: DashboardSession, windowMinutes: Int) -> HTML {
        let sections: [HTML] = projects.map { project(($0), windowMinutes: windowMinutes) }
        return Layout.page(
            title: "Overview", session: session, current: "Overview",
            """
            <h1>Overview</h1>
            <p class="hint" data-refresh="10">Refreshes every 10 s while open. Charts: the last \(windowMinutes / 60) hours, one bar per minute, newest right.</p>
            \(sections.isEmpty ? HTML("<p>No project.</p>") : HTML.joined(sections))
            """)
    }

    private static func project(_ project: ProjectOverview, windowMinutes: Int) -> HTML {
        let states: [HTML] = JobState.allCases.compactMap { state -> HTML? in
            let count = state.isTerminal ? project.endedToday[state] : project.unfinished[state]
            guard let count, count > 0 else { return nil }
            let link = "/dashboard/jobs?project=\(JobsQuery.percentEncoded(project.slug))&state=\(state.rawValue)"
            return "<li><a href=\"\(link)\">\(Format.state(state)) \(Format.count(count))</a></li>"
        }
        let errors: [HTML] = project.errors.prefix(8).map { "<li><code>\($0.code)</code> \(Format.count($0.count))</li>" }
        let budget = project.minutes.map(\.budgetTokens)
        let latestBudget = budget.last ?? 0
        let budgetNote: HTML =
            project.tokensPerMinute.map { limit -> HTML in
                "this minute \(Format.count(latestBudget)) of \(Format.count(limit)) (\(Int((Double(latestBudget) / Double(limit) * 100).rounded())) %)"
            } ?? "no tokens-per-minute budget set"
        let paused: HTML = project.paused.map { "<p class=\"error\">Paused: \($0)</p>" } ?? .empty
        return """
            <section class="project"><h2>\(project.slug)</h2>\(paused)
            <ul class="states">\(states.isEmpty ? HTML("<li>no jobs in flight or ended today</li>") : HTML.joined(states))</ul>
            <p>Queue lag: \(Format.seconds(project.queueLagSeconds)) · unfinished counts now, ended ones over the last 24 h.</p>
            <h3>Tokens claimed per minute against the budget</h3>
            <p class="hint">Input estimate + max_output_tokens of each submission (Mantle's admission rule); \(budgetNote).</p>
            \(Chart.bars(budget, limit: project.tokensPerMinute, label: "tokens per minute"))
            <h3>Jobs ended per minute</h3>
            \(Chart.bars(project.minutes.map(\.ended), label: "jobs ended per minute"))
            <h3>Errors, last 24 h</h3>
            <ul>\(errors.isEmpty ? HTML("<li>none</li>") : HTML.joined(errors))</ul>
            </section>
            """
    }
}
