/// Who an API token speaks for: the whole installation, or one project.
///
/// The REST API scopes every lookup with ``projectID``: admins see every project, a project
/// token only its own rows.
public enum Principal: Sendable, Equatable {
    /// An operator's token: every project, every route.
    case admin
    /// A team's token: only this project's jobs, batches, webhooks and usage.
    case project(Project)

    /// The project to scope queries to; nil for an admin, who sees everything.
    public var projectID: Int64? {
        switch self {
        case .admin: nil
        case .project(let project): project.id
        }
    }
}
