import ArgumentParser
import Logging
import LonghaulCore

/// `--project SLUG`, shared by the webhook and delivery commands.
struct ProjectOption: ParsableArguments {
    @Option(name: .long, help: "The project's slug.")
    var project: String = "default"

    /// The project, or a `ValidationError` naming the projects that exist.
    func resolve(_ projects: ProjectStore) async throws -> Project {
        try await Self.resolve(slug: project, in: projects)
    }

    /// The project named `slug`, or a `ValidationError` naming the projects that exist. (A
    /// `ProjectOption` built in code rather than parsed cannot be read, hence a static form.)
    static func resolve(slug: String, in projects: ProjectStore) async throws -> Project {
        do {
            return try await projects.get(slug: slug)
        } catch StoreError.notFound {
            let known = try await projects.list().map(\.slug)
            throw ValidationError("there is no project '\(slug)' (known: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
    }
}

/// The id of the project named `slug`, or nil when no project was named.
func projectID(_ slug: String?, in session: DatabaseSession) async throws -> Int64? {
    guard let slug else { return nil }
    return try await ProjectOption.resolve(slug: slug, in: ProjectStore(pool: session.pool)).id
}

/// Runs `body` with an open database session, closing it whatever happens; store errors become
/// one-line messages instead of stack traces.
func withSession<T: Sendable>(_ options: GlobalOptions, _ body: (DatabaseSession) async throws -> T) async throws -> T {
    LoggingSetup.bootstrap(options, defaultLevel: .warning)
    do {
        return try await withDatabaseSession(options, logger: .init(label: "longhaul.cli"), maxConnections: 2, body)
    } catch let error as StoreError {
        throw ValidationError(error.description)
    }
}
