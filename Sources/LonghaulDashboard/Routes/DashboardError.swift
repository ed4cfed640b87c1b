/// A request the dashboard refuses, shown as a page with its status and what to do.
struct DashboardError: Error, Sendable, Equatable {
    var status: Int
    var title: String
    var message: String

    static func invalid(_ message: String) -> DashboardError {
        DashboardError(status: 400, title: "Bad request", message: message)
    }

    static func notFound(_ what: String) -> DashboardError {
        DashboardError(status: 404, title: "Not found", message: "\(what) does not exist, or belongs to a project this token does not see.")
    }

    static let readOnly = DashboardError(
        status: 403, title: "Read-only",
        message: "This session's token is read-only: it may look but not act. Sign in with another token to act.")

    static let csrfRefused = DashboardError(
        status: 403, title: "Form expired",
        message: "The form did not carry this session's CSRF token (or came from another site). Reload the page and submit it again.")
}
