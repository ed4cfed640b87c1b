import LonghaulCore

/// One job: its summary beside its document, usage and cost, the timeline, the final Response
/// JSON, and its actions.
enum JobDetailPage {
    static func render(
        _ job: JobDetail, timeline: JobTimeline, document: (text: String, byteSize: Int)?, response: String?, price: ModelPrice?,
        session: DashboardSession
    ) -> HTML {
        let path = "/dashboard/jobs/\(JobsQuery.percentEncoded(job.publicID))"
        var buttons: [HTML] = []
        if session.mayAct && !job.state.isTerminal {
            buttons.append(
                "<form method=\"post\" action=\"\(path)/cancel\" class=\"inline\">\(Layout.csrfField(session))<button type=\"submit\" data-confirm=\"Cancel this job?\">Cancel</button></form>"
            )
        }
        if session.mayAct && (job.state == .failed || job.state == .incomplete) {
            buttons.append(
                "<form method=\"post\" action=\"\(path)/retry\" class=\"inline\">\(Layout.csrfField(session))<button type=\"submit\">Retry</button></form>"
            )
        }
        let metadata: [HTML] = job.metadata.sorted { $0.key < $1.key }.map { "<dt>\($0.key)</dt><dd>\($0.value)</dd>" }
        let usage: HTML =
            job.usage.map { usage -> HTML in
                """
                <dt>input</dt><dd>\(Format.count(usage.inputTokens)) (\(Format.count(usage.cachedTokens)) cached)</dd>
                <dt>output</dt><dd>\(Format.count(usage.outputTokens)) (\(Format.count(usage.reasoningTokens)) reasoning)</dd>
                <dt>cost</dt><dd>\(price.map { Format.cost($0.cost(of: usage), currency: $0.currency) } ?? "no price set (longhaul usage prices set)")</dd>
                """
            } ?? "<dt>usage</dt><dd>none yet</dd>"
        let events: [HTML] = timeline.events.map { event in
            "<li class=\"event \(event.tone)\"><time>\(Format.time(event.at))</time> <strong>\(event.title)</strong> <span>\(event.detail)</span></li>"
        }
        let documentText: HTML =
            document.map { document -> HTML in
                let cut =
                    document.text.utf8.count < document.byteSize
                    ? HTML("<p class=\"hint\">Shown: the first 200,000 characters.</p>") : .empty
                return "<pre class=\"text\">\(document.text)</pre>\(cut)"
            } ?? "<p>The document is not stored.</p>"
        let summary: HTML =
            job.outputText.map { "<pre class=\"text\">\($0)</pre>" } ?? job.partial.map { partial -> HTML in
                let tokens: HTML = partial.outputTokens.map { " (\(Format.count($0)) output tokens)" } ?? .empty
                return """
                    <p class="hint">Still streaming: the text so far\(tokens), checkpointed \(partial.ageSeconds()) s ago \
                    at <time>\(Format.time(partial.checkpointedAt))</time>.</p>
                    <pre class="text partial">\(partial.text)</pre>
                    """
            } ?? "<p>No summary yet.</p>"
        let responseJSON: HTML =
            response.map { "<pre class=\"text json\" id=\"response-json\">\(ResponseJSON.shown($0))</pre>" }
            ?? "<p>No Response stored yet: it is kept when the job ends.</p>"
        let batch: HTML =
            job.batch.map { "<dt>batch</dt><dd><a href=\"/dashboard/batches/\(JobsQuery.percentEncoded($0))\">\($0)</a></dd>" } ?? .empty
        return Layout.page(
            title: job.publicID, session: session, current: "Jobs",
            """
            <h1>Job <code>\(job.publicID)</code> \(Format.state(job.state))</h1>
            <div class="actions" data-refresh="\(job.state.isTerminal ? "0" : "5")">\(buttons)</div>
            <dl class="facts">
            <dt>project</dt><dd>\(job.project)</dd>\(batch)
            <dt>source</dt><dd class="source">\(job.sourcePath ?? "–")</dd>
            <dt>model</dt><dd>\(job.model)</dd>
            <dt>attempt</dt><dd>\(job.attempt) of \(job.maxAttempts)</dd>
            <dt>response</dt><dd>\(job.responseID ?? "–")</dd>\(JobsPage.deadlineFact(job))
            \(usage)\(metadata)
            </dl>
            <h2>Timeline</h2>
            <ol class="timeline">\(events)</ol>
            <div class="beside">
            <section><h2>Summary</h2>\(summary)</section>
            <section><h2>Document</h2>\(documentText)</section>
            </div>
            <h2>Final Response JSON</h2>
            \(responseJSON)
            """)
    }
}
