import Foundation
public import Logging
public import LonghaulCore
public import Postgres

/// A fresh, migrated database per test, with helpers to make projects and jobs.
public struct StoreFixture: Sendable {
    public let pool: PostgresPool
    public let store: JobStore
    /// The queue as the workers see it (claims, outcomes, rescue).
    public let queue: JobQueue
    public let batches: BatchStore
    public let projects: ProjectStore
    public let logger = Logger(label: "test")
    /// The `application_name` of the fixture's connections.
    public static let applicationName = "longhaul-tests"

    public static func make(_ name: String = "store", maxConnections: Int = 8) async throws -> StoreFixture {
        try await make(configuration: TestDatabase.makeFreshDatabase(named: name), maxConnections: maxConnections)
    }

    /// A fixture on the database at `databaseURL` (from ``TestDatabase/makeFreshDatabaseURL(named:)``,
    /// when child processes share it), migrated.
    public static func make(databaseURL: String, maxConnections: Int = 8) async throws -> StoreFixture {
        try await make(configuration: PostgresConfiguration(databaseURL), maxConnections: maxConnections)
    }

    private static func make(configuration: PostgresConfiguration, maxConnections: Int) async throws -> StoreFixture {
        var configuration = configuration
        // Tells the test's own sessions apart from those of the processes under test in pg_stat_activity.
        configuration.applicationName = applicationName
        let pool = PostgresPool(configuration: configuration, maxConnections: maxConnections, logger: Logger(label: "test.pool"))
        try await Migrator(pool: pool).migrate(logger: Logger(label: "test.migrate"))
        let store = JobStore(pool: pool)
        return StoreFixture(
            pool: pool, store: store, queue: JobQueue(pool: pool), batches: BatchStore(pool: pool, jobs: store), projects: ProjectStore(pool: pool))
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

    public func close() async {
        await pool.shutdown()
    }
}
