import LonghaulCore

/// One batch: progress, jobs by state, usage and cost by model, the results download and
/// "retry failed".
enum BatchPage {
    static func render(_ batch: BatchSummary, usage: [UsageRow], retried: Int?, session: DashboardSession) -> HTML {
        let path = "/dashboard/batches/\(JobsQuery.percentEncoded(batch.publicID))"
        let jobs = "/dashboard/jobs?batch=\(JobsQuery.percentEncoded(batch.publicID))"
        let ended = JobState.allCases.filter(\.isTerminal).map { batch.counts[$0.rawValue] ?? 0 }.reduce(0, +)
        let retriable = (batch.counts[JobState.failed.rawValue] ?? 0) + (batch.counts[JobState.incomplete.rawValue] ?? 0)
        let states: [HTML] = JobState.allCases.compactMap { state -> HTML? in
            guard let count = batch.counts[state.rawValue], count > 0 else { return nil }
            return "<li><a href=\"\(jobs)&amp;state=\(state.rawValue)\">\(Format.state(state)) <span class=\"count-\(state.rawValue)\">\(Format.count(count))</span></a></li>"
        }
        let retry: HTML =
            session.mayAct && retriable > 0
            ? """
            <form method="post" action="\(path)/retry" class="inline">\(Layout.csrfField(session))\
            <button type="submit" data-confirm="Retry the \(Format.count(retriable)) failed or incomplete jobs of this batch?">Retry \(Format.count(retriable)) failed</button></form>
            """ : .empty
        let notice: HTML = retried.map { "<p class=\"notice\">\(Format.count($0)) job\($0 == 1 ? "" : "s") queued again.</p>" } ?? .empty
        return Layout.page(
            title: batch.publicID, session: session, current: "Batches",
            """
            <h1>Batch <code>\(batch.publicID)</code></h1>
            \(notice)
            <p data-refresh="\(batch.finished ? "0" : "5")"><progress max="\(max(batch.totalJobs, 1))" value="\(ended)"></progress>
            <strong class="batch-progress">\(Format.count(ended)) / \(Format.count(batch.totalJobs))</strong> ended\(batch.finished ? HTML(" · finished") : HTML(" · refreshes every 5 s"))</p>
            <div class="actions"><a href="\(path)/results.jsonl" download>Download results (JSON Lines)</a> <a href="\(jobs)">Its jobs</a> \(retry)</div>
            <dl class="facts">
            <dt>name</dt><dd class="source">\(batch.name)</dd><dt>project</dt><dd>\(batch.project)</dd>
            <dt>source</dt><dd class="source">\(batch.source ?? "–")</dd>
            <dt>created</dt><dd>\(Format.time(batch.createdAt))</dd><dt>finished</dt><dd>\(Format.time(batch.finishedAt))</dd>
            <dt>tokens</dt><dd>\(Format.count(batch.usage.inputTokens)) input (\(Format.count(batch.usage.cachedTokens)) cached), \
            \(Format.count(batch.usage.outputTokens)) output (\(Format.count(batch.usage.reasoningTokens)) reasoning)</dd>
            <dt>budget</dt><dd class="batch-budget">\(batch.budget.map(\.standing) ?? "no cap")</dd>
            </dl>
            <h2>Jobs by state</h2>
            <ul class="states">\(states)</ul>
            <h2>Usage and cost by model</h2>
            \(UsageTable.render(usage, groupLabel: "model"))
            """)
    }
}
