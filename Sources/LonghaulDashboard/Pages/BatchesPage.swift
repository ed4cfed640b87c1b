/// The newest batches with their progress; each links to its page.
enum BatchesPage {
    static func render(_ batches: [BatchListRow], session: DashboardSession) -> HTML {
        let rows: [HTML] = batches.map { batch -> HTML in
            let done = batch.total - batch.pending
            let link = "/dashboard/batches/\(JobsQuery.percentEncoded(batch.publicID))"
            return """
                <tr><td><a href="\(link)">\(batch.publicID)</a></td><td>\(batch.project)</td><td class="source">\(HTMLEscaping.shortened(batch.name, to: 80))</td>\
                <td><progress max="\(max(batch.total, 1))" value="\(done)"></progress> \(Format.count(done)) / \(Format.count(batch.total))</td>\
                <td>\(Format.time(batch.createdAt))</td><td>\(Format.time(batch.finishedAt))</td></tr>
                """
        }
        return Layout.page(
            title: "Batches", session: session, current: "Batches",
            """
            <h1>Batches</h1>
            <p class="hint" data-refresh="5">The newest 100; progress refreshes every 5 s while open.</p>
            <table><thead><tr><th>batch</th><th>project</th><th>name</th><th>ended / jobs</th><th>created</th><th>finished</th></tr></thead>
            <tbody>\(rows.isEmpty ? HTML("<tr><td colspan=\"6\">No batch yet.</td></tr>") : HTML.joined(rows))</tbody></table>
            """)
    }
}
