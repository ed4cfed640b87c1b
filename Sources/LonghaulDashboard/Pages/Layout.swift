import Foundation
import LonghaulCore

/// The frame of every page: head, navigation, who is signed in, sign-out.
enum Layout {
    static func page(title: String, session: DashboardSession?, current: String = "", _ content: HTML) -> HTML {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · Longhaul</title>
        <link rel="stylesheet" href="/dashboard/assets/dashboard.css">
        <script src="/dashboard/assets/dashboard.js" defer></script>
        </head><body>
        \(header(session: session, current: current))
        <main>
        \(content)
        </main></body></html>
        """
    }

    private static func header(session: DashboardSession?, current: String) -> HTML {
        guard let session else { return "<header><span class=\"brand\">Longhaul</span></header>" }
        let links: [HTML] = [
            ("Overview", "/dashboard"), ("Jobs", "/dashboard/jobs"), ("Batches", "/dashboard/batches"),
            ("Deliveries", "/dashboard/deliveries"), ("Usage", "/dashboard/usage"), ("Projects", "/dashboard/projects"),
            ("Tokens", "/dashboard/tokens"),
        ]
        .map { name, path in
            name == current ? "<a href=\"\(path)\" aria-current=\"page\">\(name)</a>" : "<a href=\"\(path)\">\(name)</a>"
        }
        let who: String
        switch session.caller.principal {
        case .admin: who = "admin"
        case .project(let project): who = "project \(project.slug)"
        }
        return """
            <header><span class="brand">Longhaul</span><nav>\(links)</nav>
            <span class="who">\(who)\(session.caller.readOnly ? HTML(" <span class=\"badge\">read-only</span>") : .empty)</span>
            <form method="post" action="/dashboard/sign-out" class="inline">\(csrfField(session))<button type="submit">Sign out</button></form>
            </header>
            """
    }

    /// The hidden field every state-changing form carries.
    static func csrfField(_ session: DashboardSession) -> HTML {
        "<input type=\"hidden\" name=\"_csrf\" value=\"\(session.csrfToken)\">"
    }

    /// A page that says what went wrong.
    static func error(_ error: DashboardError, session: DashboardSession?) -> HTML {
        page(title: error.title, session: session, "<h1>\(error.title)</h1><p class=\"error\">\(error.message)</p>")
    }
}

/// How numbers, times and states read on the pages.
enum Format {
    static func count(_ value: Int) -> String {
        value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    }

    static func cost(_ value: Double?, currency: String = "USD") -> String {
        guard let value else { return "–" }
        return String(format: "%.4f %@", value, currency)
    }

    static func time(_ date: Date?) -> String {
        guard let date else { return "–" }
        return date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: false).timeSeparator(.colon).dateTimeSeparator(.space))
    }

    static func seconds(_ value: Double) -> String {
        value < 120
            ? String(format: "%.0f s", value)
            : value < 7200 ? String(format: "%.0f min", value / 60) : String(format: "%.1f h", value / 3600)
    }

    /// A state as a badge whose class colours it.
    static func state(_ state: JobState) -> HTML {
        "<span class=\"state state-\(state.rawValue)\">\(state.rawValue)</span>"
    }
}
