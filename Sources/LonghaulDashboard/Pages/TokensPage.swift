import LonghaulCore

/// API tokens by id and name (a secret is never stored, so never shown, except once: on the
/// page that answers its creation). The admin creates and revokes them; others read.
enum TokensPage {
    static func render(
        _ tokens: [APIToken], projects: [String], created: IssuedToken?, session: DashboardSession
    ) -> HTML {
        let isAdmin = session.caller.principal == .admin
        let rows: [HTML] = tokens.map { token -> HTML in
            let revoke: HTML =
                isAdmin && session.mayAct && token.isActive
                ? """
                <form method="post" action="/dashboard/tokens/\(JobsQuery.percentEncoded(token.publicID))/revoke" class="inline">\
                \(Layout.csrfField(session))<button type="submit" data-confirm="Revoke \(token.name)? Every program using it stops at once.">Revoke</button></form>
                """ : .empty
            return """
                <tr><td><code>\(token.publicID)</code></td><td class="source">\(token.name)</td><td>\(token.project ?? "admin (every project)")</td>\
                <td>\(token.readOnly ? "read-only" : "acts")</td><td>\(Format.time(token.createdAt))</td><td>\(Format.time(token.lastUsedAt))</td>\
                <td>\(token.revokedAt.map { "revoked " + Format.time($0) } ?? "active")</td><td>\(revoke)</td></tr>
                """
        }
        let secret: HTML =
            created.map { issued -> HTML in
                """
                <section class="created"><h2>Token <code>\(issued.token.publicID)</code> created</h2>
                <p>Copy its secret now: it is shown this once, and only its SHA-256 is stored.</p>
                <pre class="text" id="new-secret">\(issued.secret)</pre></section>
                """
            } ?? .empty
        let options: [HTML] =
            [HTML("<option value=\"\">admin (every project)</option>")] + projects.map { "<option value=\"\($0)\">\($0)</option>" }
        let create: HTML =
            isAdmin && session.mayAct
            ? """
            <h2>New token</h2>
            <form method="post" action="/dashboard/tokens" class="filters">\(Layout.csrfField(session))
            <label>name <input name="name" required maxlength="200" placeholder="nightly import"></label>
            <label>project <select name="project">\(options)</select></label>
            <label><input type="checkbox" name="read_only" value="1"> read-only</label>
            <button type="submit">Create token</button></form>
            """ : .empty
        return Layout.page(
            title: "Tokens", session: session, current: "Tokens",
            """
            <h1>API tokens</h1>
            \(secret)
            <table><thead><tr><th>id</th><th>name</th><th>project</th><th>scope</th><th>created</th><th>last used</th><th>state</th><th></th></tr></thead>
            <tbody>\(rows.isEmpty ? HTML("<tr><td colspan=\"8\">No token.</td></tr>") : HTML.joined(rows))</tbody></table>
            \(create)
            """)
    }
}
