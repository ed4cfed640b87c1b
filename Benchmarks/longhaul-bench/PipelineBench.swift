import ArgumentParser
import Foundation
import Logging
import LonghaulCore
import Mantle
import Postgres

/// `longhaul-bench pipeline`: the two halves of a burn-down that `bench/pipeline.sh` and
/// `bench/polling.sh` put a separate `longhaul work` process between — fill the queue through
/// the store, then wait until every job is terminal.
struct PipelineBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Enqueue a burn-down's jobs, or wait for them to end (bench/pipeline.sh, bench/polling.sh).",
        subcommands: [Enqueue.self, Wait.self]
    )

    /// Options both halves share.
    struct Target: ParsableArguments {
        /// A database the bench migrates (enqueue) or reads (wait).
        @OptionGroup var database: BenchDatabase

        @Option(help: "The project the bench jobs go to (created if missing).")
        var project = "bench"
    }

    /// Enqueues `--jobs` distinct documents through `JobStore.enqueue`, in chunks, into a project
    /// whose `max_in_flight` is `--max-in-flight` (the default project's 500 would be the limit).
    struct Enqueue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enqueue N jobs through the store.")

        @OptionGroup var target: Target

        @Option(help: "Jobs to enqueue.")
        var jobs = 20_000

        @Option(help: "The first document's number: a later call with a higher one adds new, distinct documents (bench/soak.sh tops up).")
        var first = 0

        @Option(help: "Jobs per enqueue call (one transaction each).")
        var chunk = 1_000

        @Option(help: "The project's max_in_flight.")
        var maxInFlight = 100_000

        @Option(help: "The model of every job (default: the project's); a Claude or chat-only model makes held streams.")
        var model: String?

        func validate() throws {
            guard jobs > 0, chunk > 0, maxInFlight > 0, first >= 0 else {
                throw ValidationError("--jobs, --chunk and --max-in-flight must be positive, --first not negative")
            }
        }

        func run() async throws {
            try await target.database.withPool(connections: 2, label: "longhaul.bench.pipeline") { pool, logger in
                _ = try await Migrator(pool: pool).migrate(logger: logger)
                let project = try await prepareProject(pool)
                let store = JobStore(pool: pool)
                let clock = ContinuousClock()
                let start = clock.now
                var enqueued = 0
                while enqueued < jobs {
                    let count = min(chunk, jobs - enqueued)
                    let validated = try (first + enqueued..<(first + enqueued + count)).map { index in
                        try JobRequest(document: Self.document(index), model: model, maxOutputTokens: 200, metadata: ["bench": "\(index)"])
                            .validated(defaultModel: project.defaultModel, checkModel: MantleModel.jobModelCheck)
                    }
                    enqueued += try await store.enqueue(validated, project: project).count
                }
                let elapsed = (clock.now - start).inSeconds
                let rate = Int(Double(enqueued) / elapsed)
                print("enqueued \(enqueued) jobs in \(String(format: "%.2f", elapsed)) s (\(rate) jobs/s, chunks of \(chunk))")
            }
        }

        /// The bench project, created if missing, with `--max-in-flight` and no token budget, and
        /// one webhook endpoint, so every ending job writes its outbox row (nothing delivers it here).
        private func prepareProject(_ pool: PostgresPool) async throws -> Project {
            let projects = ProjectStore(pool: pool)
            do {
                _ = try await projects.get(slug: target.project)
            } catch StoreError.notFound {
                _ = try await projects.create(NewProject(slug: target.project, maxInFlight: maxInFlight))
            }
            let project = try await projects.update(
                slug: target.project, ProjectUpdate(maxInFlight: maxInFlight, clearTokensPerMinute: true))
            let webhooks = WebhookStore(pool: pool)
            if try await webhooks.endpoints(projectID: project.id).isEmpty {
                _ = try await webhooks.addEndpoint(projectID: project.id, url: "http://127.0.0.1:9/bench-webhook")
            }
            return project
        }

        /// A short document, distinct per job so each is stored once as itself.
        static func document(_ index: Int) -> String {
            """
            Report \(index). The lighthouse stood on the northern cliff for two hundred years. Ships used it to \
            find the harbour in winter storms. The keeper lit the lamp every evening at sunset. In 1990 the lamp \
            was replaced by an automatic light. Tourists now visit the old lighthouse to see the harbour and the sea.
            """
        }
    }

    /// Waits until no job of the project is unfinished, printing progress on stderr; prints how
    /// many queries it made (so a caller counting transactions can take them off) and the worst
    /// poll backlog it saw (running jobs whose next poll was overdue: the Poller falling behind).
    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Wait until every job of the project is terminal.")

        @OptionGroup var target: Target

        @Option(help: "Milliseconds between looks.")
        var intervalMs = 200

        @Option(help: "Give up after this many seconds.")
        var timeout = 900

        func run() async throws {
            try await target.database.withPool(connections: 1, label: "longhaul.bench.pipeline") { pool, _ in
                let clock = ContinuousClock()
                let deadline = clock.now + .seconds(timeout)
                var queries = 0
                var peakOverdue = 0
                var peakLateness = 0.0
                var lastReport = clock.now
                var total = 0, finished = 0
                while true {
                    // Raw SQL on purpose: no store answers "how far behind is the Poller", and one
                    // statement per look keeps the waiter's own load countable. Its columns are
                    // checked against the migrations by BenchmarkCommandTests.
                    // A job under a live lease is being polled, or its stream held: not waiting for a Poller.
                    // Each look asks only whether an unfinished job is left, through the partial
                    // indexes of the unfinished states, and reads the running jobs; the counts for the
                    // progress line come every 50 looks. Counting every job of the project each look
                    // (10,000 rows every 100 ms) was 64 µs of the server's CPU per job in
                    // bench/pipeline.sh, charged to Longhaul.
                    let row = try await pool.query(
                        """
                        WITH p AS MATERIALIZED (SELECT id FROM projects WHERE slug = \(target.project)),
                        running AS MATERIALIZED (
                            SELECT count(*) FILTER (WHERE j.next_poll_at < now() - interval '1 second') AS overdue,
                                   min(j.next_poll_at) AS first_due
                            FROM p JOIN jobs j ON j.project_id = p.id AND j.state = 'running'
                                               AND (j.lease_expires_at IS NULL OR j.lease_expires_at <= now())
                        ),
                        left_over AS MATERIALIZED (
                            SELECT EXISTS (SELECT 1 FROM p JOIN jobs q ON q.project_id = p.id AND q.state = 'queued')
                                OR EXISTS (SELECT 1 FROM p JOIN jobs f ON f.project_id = p.id AND f.state IN ('submitting', 'running'))
                                OR EXISTS (SELECT 1 FROM p JOIN jobs c ON c.project_id = p.id AND c.state = 'waiting_for_children') AS any
                        )
                        SELECT l.any AS unfinished,
                               CASE WHEN NOT l.any OR \(queries) % 50 = 0
                                    THEN (SELECT count(*) FROM p JOIN jobs a ON a.project_id = p.id) END AS total,
                               CASE WHEN \(queries) % 50 = 0
                                    THEN (SELECT count(*) FROM p JOIN jobs a ON a.project_id = p.id AND a.finished_at IS NOT NULL) END AS finished,
                               r.overdue, coalesce(extract(epoch FROM now() - r.first_due), 0)::float8 AS late
                        FROM left_over l, running r
                        """
                    ).first
                    queries += 1
                    let unfinished = try row?.decode("unfinished", as: Bool.self) ?? false
                    total = try row?.decode("total", as: Int?.self) ?? total
                    finished = try row?.decode("finished", as: Int?.self) ?? finished
                    peakOverdue = max(peakOverdue, try row?.decode("overdue", as: Int.self) ?? 0)
                    peakLateness = max(peakLateness, try row?.decode("late", as: Double.self) ?? 0)
                    if !unfinished { break }
                    if clock.now - lastReport >= .seconds(5) {
                        FileHandle.standardError.write(Data("bench: \(finished)/\(total) jobs terminal\n".utf8))
                        lastReport = clock.now
                    }
                    guard clock.now < deadline else {
                        throw ValidationError("\(total - finished) of \(total) jobs were still unfinished after \(timeout) s")
                    }
                    try await Task.sleep(for: .milliseconds(intervalMs))
                }
                print("waiter queries: \(queries)")
                print("peak overdue polls: \(peakOverdue) (due more than 1 s ago); most overdue: \(String(format: "%.1f", peakLateness)) s")
            }
        }
    }
}
