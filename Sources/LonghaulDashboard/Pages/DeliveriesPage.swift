import LonghaulCore

/// The webhook log, and one delivery with its exact body, its attempts and redelivery.
enum DeliveriesPage {
    static func list(_ deliveries: [DeliveryRecord], session: DashboardSession) -> HTML {
        let rows: [HTML] = deliveries.map { delivery -> HTML in
            let job: HTML = delivery.job.map { "<a href=\"/dashboard/jobs/\(JobsQuery.percentEncoded($0))\">\($0)</a>" } ?? "–"
            return """
                <tr><td><a href="/dashboard/deliveries/\(JobsQuery.percentEncoded(delivery.publicID))">\(delivery.publicID)</a></td><td>\(delivery.project)</td>\
                <td>\(delivery.eventType)</td><td>\(delivery.state.rawValue)</td><td>\(delivery.attempts)</td><td>\(delivery.lastStatus.map { String($0) } ?? "–")</td>\
                <td>\(job)</td><td class="source">\(HTMLEscaping.shortened(delivery.url, to: 60))</td><td>\(Format.time(delivery.createdAt))</td></tr>
                """
        }
        return Layout.page(
            title: "Deliveries", session: session, current: "Deliveries",
            """
            <h1>Webhook deliveries</h1>
            <table><thead><tr><th>webhook-id</th><th>project</th><th>event</th><th>state</th><th>attempts</th><th>last status</th><th>job</th><th>url</th><th>created</th></tr></thead>
            <tbody>\(rows.isEmpty ? HTML("<tr><td colspan=\"9\">No delivery yet.</td></tr>") : HTML.joined(rows))</tbody></table>
            """)
    }

    static func detail(_ detail: DeliveryDetail, session: DashboardSession) -> HTML {
        let delivery = detail.delivery
        let path = "/dashboard/deliveries/\(JobsQuery.percentEncoded(delivery.publicID))"
        let redeliver: HTML =
            session.mayAct
            ? "<form method=\"post\" action=\"\(path)/redeliver\" class=\"inline\">\(Layout.csrfField(session))<button type=\"submit\" data-confirm=\"Send this webhook again?\">Redeliver</button></form>"
            : .empty
        let attempts: [HTML] = detail.attempts.map { attempt -> HTML in
            """
            <tr><td>\(attempt.attempt)</td><td>\(Format.time(attempt.startedAt))</td><td>\(attempt.durationMilliseconds) ms</td>\
            <td>\(attempt.httpStatus.map { String($0) } ?? "–")</td><td>\(attempt.error ?? "")</td><td class="source">\(attempt.responseBody ?? "")</td></tr>
            """
        }
        return Layout.page(
            title: delivery.publicID, session: session, current: "Deliveries",
            """
            <h1>Delivery <code>\(delivery.publicID)</code></h1>
            <div class="actions">\(redeliver)</div>
            <dl class="facts"><dt>event</dt><dd>\(delivery.eventType)</dd><dt>state</dt><dd>\(delivery.state.rawValue)</dd>
            <dt>url</dt><dd class="source">\(delivery.url)</dd><dt>project</dt><dd>\(delivery.project)</dd></dl>
            <h2>Attempts</h2>
            <table><thead><tr><th>#</th><th>started</th><th>took</th><th>status</th><th>error</th><th>response (first KiB)</th></tr></thead>
            <tbody>\(attempts)</tbody></table>
            <h2>Body (the exact bytes signed and sent)</h2>
            <pre class="text">\(detail.body)</pre>
            """)
    }
}
