import Foundation
public import Logging
public import LonghaulCore
public import Postgres

/// A fresh, migrated database per test, with helpers to make projects and jobs; see ``with(_:maxConnections:_:)``.
public struct StoreFixture: Sendable {
    public let pool: PostgresPool
    public let store: JobStore
    /// The queue as the workers see it (claims, outcomes, rescue).
    public let queue: JobQueue
    public let batches: BatchStore
    public let projects: ProjectStore
    /// The fixture's database as a URL, for child processes that share it.
    public let databaseURL: String
    public let logger = Logger(label: "test")
    /// The `application_name` of the fixture's connections.
    public static let applicationName = "longhaul-tests"

    /// Runs `body` with a fixture on a fresh, migrated database; then shuts its pool down and drops
    /// the database, however `body` ends.
    ///
    /// Child processes that share the database take ``databaseURL``; they must be gone when
    /// `body` returns (the drop disconnects whatever is left).
    public static func with<T>(_ name: String = "store", maxConnections: Int = 8, _ body: (StoreFixture) async throws -> T) async throws -> T {
        try await TestDatabase.withFreshDatabase(named: name) { database in
            // The application name tells the test's own sessions apart from those of the processes
            // under test in pg_stat_activity.
            try await database.withPool(maxConnections: maxConnections, applicationName: applicationName) { pool in
                try await Migrator(pool: pool).migrate(logger: Logger(label: "test.migrate"))
                let store = JobStore(pool: pool)
                let fixture = StoreFixture(
                    pool: pool, store: store, queue: JobQueue(pool: pool), batches: BatchStore(pool: pool, jobs: store),
                    projects: ProjectStore(pool: pool), databaseURL: database.url)
                return try await body(fixture)
            }
        }
    }

    public func project(_ slug: String, maxInFlight: Int = 50, tokensPerMinute: Int? = nil, maxAttempts: Int = 3) async throws -> Project {
        try await projects.create(NewProject(slug: slug, maxInFlight: maxInFlight, tokensPerMinute: tokensPerMinute, maxAttempts: maxAttempts))
    }

    public func validated(_ request: JobRequest) throws -> ValidatedJob {
        try request.validated(defaultModel: "openai.gpt-oss-120b", checkModel: { _ in nil })
    }

    @discardableResult
    public func enqueue(_ count: Int, into project: Project, batchID: Int64? = nil, maxOutputTokens: Int = 100) async throws -> [EnqueuedJob] {
        let jobs = try (0..<count).map { index in
            try validated(JobRequest(document: "Document \(index) of \(project.slug). It has a sentence.", maxOutputTokens: maxOutputTokens))
        }
        return try await store.enqueue(jobs, project: project, batchID: batchID)
    }

    public func state(of publicID: String) async throws -> JobState {
        try await store.job(publicID: publicID, projectID: nil).state
    }

    public func count(_ sql: String) async throws -> Int {
        let rows = try await pool.query(PostgresQuery(unsafeSQL: sql))
        return try rows.first.map { try $0.decode(at: 0, as: Int.self) } ?? 0
    }

    /// The first column of every row `sql` returns, as text.
    public func strings(_ sql: String) async throws -> [String] {
        let rows = try await pool.query(PostgresQuery(unsafeSQL: sql))
        return try rows.map { try $0.decode(at: 0, as: String.self) }
    }
}
