import ArgumentParser
import Foundation
import Hashing
import Logging
import LonghaulCore
import Mantle
import ServiceLifecycle
import Telemetry
import Tracing
import UnixSignals
import Workers

/// One run of `longhaul batch`: read the folder, enqueue what needs doing (resuming earlier
/// runs), run the workers in this process while it waits, and write the outputs.
struct BatchRun {
    let command: BatchCommand
    let logger = Logger(label: "longhaul.batch")
    /// What `--deadline 2h` counts from: one time for every document of the run.
    let startedAt = Date()

    /// One document of the folder and what became of it in this run.
    struct Entry {
        var relativePath: String
        var fileSHA256: String?
        var byteSize: Int64?
        var format: String?
        var skipReason: String?
        var jobID: Int64?
        /// The extracted text, held only until the document is enqueued.
        var document: ExtractedDocument?
    }

    func run() async throws -> Int32 {
        let folderURL = URL(fileURLWithPath: command.folder).standardizedFileURL
        let outURL = URL(fileURLWithPath: command.out ?? (folderURL.path + ".summaries")).standardizedFileURL
        let instructions = try command.resolvedInstructions()

        return try await withDatabaseSession(command.options, logger: logger, maxConnections: 12) { session in
            // One trace for the folder's run: every job it enqueues continues this root span.
            try await TracingSetup.rootSpan("longhaul.batch", enabled: !command.plan, logger: logger) { span in
                try await run(folder: folderURL, out: outURL, instructions: instructions, session: session, span: span)
            }
        }
    }

    private func run(folder: URL, out: URL, instructions: String?, session: DatabaseSession, span: (any Span)?) async throws -> Int32 {
        let store = JobStore(pool: session.pool, publicBaseURL: PublicURL.configured)
        let projects = ProjectStore(pool: session.pool)
        let project = try await resolveProject(projects)
        let reporter = BatchReporter(json: command.json)
        if command.plan {
            var entries: [Entry] = []
            let runPlan = try await plan(
                &entries, files: try await scan(folder), folder: folder, instructions: instructions, project: project, store: store)
            try BatchPlanReport(plan: runPlan, skipped: entries.compactMap { entry in entry.skipReason.map { (entry.relativePath, $0) } })
                .print(json: command.json)
            return 0
        }
        if let refused = try await preflight(project, projects: projects, reporter: reporter) { return refused }

        let files = try await scan(folder)
        let batches = BatchStore(pool: session.pool, jobs: store)
        let batch = try await batches.findOrCreateBatch(
            project: project, name: command.name ?? folder.lastPathComponent, source: folder.path, webhookURL: command.webhook)
        if let cap = BatchBudgetCap(maxTokens: command.budgetTokens, maxCost: command.budget) {
            // Before anything is enqueued, so that no job of the run is claimed without it.
            try await batches.setBudget(batchPublicID: batch.publicID, projectID: project.id, cap)
        }
        var entries: [Entry] = []
        let (documents, resumed) = try await enqueue(
            &entries, files: files, folder: folder, instructions: instructions, project: project, batch: batch, store: store)
        reporter.note("found \(entries.count) files in \(folder.path): \(documents) to summarise, \(entries.count - documents) skipped")
        let jobIDs = entries.compactMap(\.jobID)
        reporter.batchEnqueued(batch: batch.publicID, jobs: jobIDs.count, resumed: resumed)
        span?.attributes["longhaul.batch.id"] = batch.publicID
        span?.attributes["longhaul.batch.jobs"] = jobIDs.count
        span?.attributes["longhaul.batch.resumed"] = resumed

        if command.noWait {
            reporter.note("enqueued without waiting; run `longhaul work` (or this command again) to do the work")
            return 0
        }
        let end = try await work(
            on: jobIDs, batchID: batch.id, project: project, store: store, projects: projects, reporter: reporter, traced: span != nil)
        span?.attributes["longhaul.batch.end"] = "\(end)"
        let jobs = try await store.jobs(ids: jobIDs)
        let outputs = try BatchOutputs(folder: folder, out: out, entries: entries, jobs: jobs)
        try await outputs.write()
        reporter.finish(outputs: outputs, end: end, project: project.slug, command: commandLine())
        switch end {
        case .cancelled: return 130
        case .gaveUp: return 75  // EX_TEMPFAIL: the work is intact and can go on later
        case .finished: return outputs.allCompleted ? 0 : 1
        }
    }

    private func resolveProject(_ projects: ProjectStore) async throws -> Project {
        guard let slug = command.project else { return try await projects.ensureDefault() }
        do {
            return try await projects.get(slug: slug)
        } catch StoreError.notFound {
            let known = try await projects.list().map(\.slug)
            throw ValidationError("there is no project '\(slug)' (known: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
    }

    /// Chunks enqueued at once, each in its own transaction on its own connection: one at a time,
    /// the client validated while PostgreSQL waited and PostgreSQL inserted while the client
    /// waited, on a machine whose two cores could do both (`bench/batch.sh 100000 0`).
    static let chunksInFlight = 4

    /// Reads `files` into `entries` and enqueues every readable document as it is read, under
    /// an idempotency key made of the folder, the path, the content and the parameters: a
    /// document already done is not submitted again, and one that failed before is retried.
    /// Returns how many documents were readable, and how many were found from an earlier run.
    private func enqueue(
        _ entries: inout [Entry], files: [DocumentFile], folder: URL, instructions: String?, project: Project, batch: BatchRecord,
        store: JobStore
    ) async throws -> (documents: Int, resumed: Int) {
        var documents = 0, resumed = 0
        let limits = try await Self.limits(of: project, store: store)
        if command.retryFailed {
            try await read(files) { chunk in
                let indices = Self.append(chunk, to: &entries)
                documents += indices.count
                let validated = try validate(&entries, indices, folder: folder, instructions: instructions, project: project, limits: limits)
                resumed += try await retryEarlier(&entries, validated, project: project, store: store)
            }
            return (documents, resumed)
        }
        var enqueued: [(index: Int, job: EnqueuedJob)] = []
        let batchID = batch.id
        try await withThrowingTaskGroup(of: [(index: Int, job: EnqueuedJob)].self) { group in
            var running = 0
            try await read(files) { chunk in
                let indices = Self.append(chunk, to: &entries)
                documents += indices.count
                let validated = try validate(&entries, indices, folder: folder, instructions: instructions, project: project, limits: limits)
                guard !validated.isEmpty else { return }
                if running == Self.chunksInFlight, let done = try await group.next() {
                    running -= 1
                    enqueued += done
                }
                running += 1
                group.addTask {
                    let jobs = try await store.enqueue(validated.map(\.job), project: project, batchID: batchID)
                    return zip(validated, jobs).map { (index: $0.index, job: $1) }
                }
            }
            for try await done in group { enqueued += done }
        }
        for (index, job) in enqueued {
            entries[index].jobID = job.id
            if !job.created {
                resumed += 1
                if job.state == .failed || job.state == .incomplete {
                    try await store.retry(publicID: job.publicID, projectID: project.id)
                }
            }
        }
        return (documents, resumed)
    }

    /// Appends a chunk read from the folder; returns the indices of its readable documents.
    private static func append(_ chunk: [Entry], to entries: inout [Entry]) -> [Int] {
        let start = entries.count
        entries += chunk
        return (start..<entries.count).filter { entries[$0].document != nil }
    }

    /// `--retry-failed`: the documents an earlier run enqueued are found again, and those that
    /// failed or ended incomplete run again; a document no earlier run enqueued is not enqueued
    /// now (it is listed as skipped, with why). Returns how many were found.
    private func retryEarlier(
        _ entries: inout [Entry], _ validated: [(index: Int, job: ValidatedJob)], project: Project, store: JobStore
    ) async throws -> Int {
        let found = try await store.jobs(project: project, idempotencyKeys: validated.compactMap(\.job.request.idempotencyKey))
        for (index, job) in validated {
            guard let earlier = job.request.idempotencyKey.flatMap({ found[$0] }) else {
                entries[index].skipReason = "not in an earlier run with these settings (--retry-failed enqueues nothing new)"
                continue
            }
            entries[index].jobID = earlier.id
            if earlier.state == .failed || earlier.state == .incomplete {
                try await store.retry(publicID: earlier.publicID, projectID: project.id)
            }
        }
        return found.count
    }

    /// What `enqueue` would do, stored nowhere and sent nowhere: each readable document planned
    /// as the run would cut it, and marked done where an earlier run completed it.
    private func plan(
        _ entries: inout [Entry], files: [DocumentFile], folder: URL, instructions: String?, project: Project, store: JobStore
    ) async throws -> RunPlan {
        let facts = try await UsageStore(pool: store.pool).planFacts(for: project)
        var documents: [RunPlan.Document] = []
        let limits = try await Self.limits(of: project, store: store)
        try await read(files) { chunk in
            let indices = Self.append(chunk, to: &entries)
            let validated = try validate(&entries, indices, folder: folder, instructions: instructions, project: project, limits: limits)
            let found = try await store.jobs(project: project, idempotencyKeys: validated.compactMap(\.job.request.idempotencyKey))
            for (index, job) in validated {
                let done = job.request.idempotencyKey.flatMap { found[$0] }?.state == .completed
                documents.append(RunPlan.Document(name: entries[index].relativePath, job: job, alreadyDone: done, facts: facts))
            }
        }
        return RunPlan(documents: documents, facts: facts)
    }

    /// The limits enqueue checks (`LONGHAUL_CONTEXT_WINDOW_SCALE`), with the project's own model
    /// windows and the models' estimate calibrations.
    private static func limits(of project: Project, store: JobStore) async throws -> JobLimits {
        var limits = JobLimits.fromEnvironment()
        limits.modelLimitOverrides = try await ModelLimitStore(pool: store.pool).overrides(projectID: project.id)
        limits.calibrations = try await ModelLimitStore(pool: store.pool).calibrations()
        return limits
    }

    /// Validates the documents at `indices` under the resume key made of the folder, the path,
    /// the content and the parameters; a refused document becomes a skip with the reason. The
    /// text is released from the entry once it is in its job.
    private func validate(
        _ entries: inout [Entry], _ indices: [Int], folder: URL, instructions: String?, project: Project, limits: JobLimits
    ) throws -> [(index: Int, job: ValidatedJob)] {
        var validated: [(index: Int, job: ValidatedJob)] = []
        let keyPrefix = Self.idempotencyKeyPrefix(folder: folder)
        for index in indices {
            guard let document = entries[index].document else { continue }
            entries[index].document = nil
            var request = JobRequest(
                document: document.text, instructions: instructions, model: command.model, maxOutputTokens: command.maxOutputTokens,
                webhookURL: command.webhook, sourcePath: document.relativePath, mediaType: document.mediaType,
                strategy: command.summaryStrategy, mapModel: command.mapModel, mapMaxOutputTokens: command.mapMaxOutputTokens)
            request.serviceTier = command.serviceTier.flatMap(ServiceTier.init(rawValue:))
            request.deadline = command.deadline?.date(from: startedAt)
            do {
                var job = try request.validated(
                    defaultModel: project.defaultModel, limits: limits, checkModel: MantleModel.jobModelCheck)
                job.request.idempotencyKey = Self.idempotencyKey(folder: keyPrefix, path: document.relativePath, request: job.requestSHA256)
                job.traceContext = ServiceContext.current?.traceParent?.description
                validated.append((index, job))
            } catch {
                if error.code == "unsupported_model" { throw ValidationError(error.message) }
                entries[index].skipReason = "refused: \(error.message)"
            }
        }
        return validated
    }

    static func idempotencyKey(folder: URL, path: String, request: Data) -> String {
        idempotencyKey(folder: idempotencyKeyPrefix(folder: folder), path: path, request: request)
    }

    /// The part of every resume key that the folder makes, hashed once for all its files.
    static func idempotencyKeyPrefix(folder: URL) -> SHA256 {
        var hash = SHA256()
        hash.update(utf8: folder.path)
        hash.update(data: [0])
        return hash
    }

    static func idempotencyKey(folder prefix: SHA256, path: String, request: Data) -> String {
        var hash = prefix
        hash.update(utf8: path)
        hash.update(data: [0])
        hash.update(data: request)
        return "folder:" + hash.finalize().hexString
    }

    /// Runs the worker loops in this process until every job is terminal, Ctrl-C, or the project
    /// cannot move for the give-up time; returns which. Jobs left unfinished stay in the database
    /// for the next run.
    private func work(
        on jobIDs: [Int64], batchID: Int64, project: Project, store: JobStore, projects: ProjectStore, reporter: BatchReporter,
        traced: Bool
    ) async throws -> BatchReporter.FollowEnd {
        try await withMantleRuntime(logger: logger) { runtime in
            var configuration = try WorkerConfiguration.fromEnvironment()
            configuration.tracing = traced
            let workers = WorkerGroup(
                queue: JobQueue(pool: store.pool, publicBaseURL: PublicURL.configured),
                gateway: runtime.gateway(projects: projects, logger: logger), configuration: configuration, logger: logger)
            let group = ServiceGroup(configuration: .init(services: [workers], logger: logger))
            async let running: Void = { try? await group.run() }()
            let limit =
                command.giveUpAfter.map { $0.seconds == 0 ? nil : $0.duration }
                ?? GiveUpWatch.defaultLimit(terminal: reporter.mode == .terminal)
            let end = await withTaskGroup(of: BatchReporter.FollowEnd.self) { tasks in
                tasks.addTask {
                    for await _ in await UnixSignalsSequence(trapping: .sigint, .sigterm) { return .cancelled }
                    return .cancelled
                }
                tasks.addTask {
                    await reporter.follow(
                        jobIDs: jobIDs, batch: (batchID, BatchStore(pool: store.pool, jobs: store)), store: store, project: project,
                        projects: projects, watch: GiveUpWatch(limit: limit))
                }
                let first = await tasks.next() ?? .cancelled
                tasks.cancelAll()
                return first
            }
            if end == .cancelled {
                // Creates still in flight may hold the stop for the whole grace period: say so.
                reporter.note(
                    "interrupted: stopping; calls in flight get up to \(configuration.shutdownGrace.components.seconds) s to finish, "
                        + "and documents not yet submitted go back to the queue")
            } else if end == .finished {
                await deliverWebhooks(of: jobIDs, batchID: batchID, store: DeliveryStore(pool: store.pool), reporter: reporter)
            }
            // Stop claiming, let in-flight calls finish or hand their jobs back, then return.
            await group.triggerGracefulShutdown()
            await running
            return end
        }
    }

    /// Keeps the loops running until this run's webhooks (each job's and `batch.completed`) that
    /// are due have gone out — at most 30 s — so a batch with `--webhook` does not exit with its
    /// last events still in the outbox. Retries scheduled later are left to `longhaul work`, and
    /// said so.
    private func deliverWebhooks(of jobIDs: [Int64], batchID: Int64, store: DeliveryStore, reporter: BatchReporter) async {
        let deadline = ContinuousClock.now + .seconds(30)
        func pendingNow(else previous: PendingDeliveries) async -> PendingDeliveries {
            let horizon = max(deadline - ContinuousClock.now, .zero)
            return (try? await store.pending(jobIDs: jobIDs, batchID: batchID, dueWithin: horizon)) ?? previous
        }
        var pending = await pendingNow(else: PendingDeliveries(due: 0, later: 0))
        while pending.due > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
            pending = await pendingNow(else: pending)
        }
        if pending.total > 0 {
            reporter.note(
                "\(pending.total) webhook\(pending.total == 1 ? "" : "s") of this batch not delivered yet (the receiver failed); "
                    + "`longhaul work` sends \(pending.total == 1 ? "it" : "them") on the retry schedule, "
                    + "`longhaul deliveries list` shows where they stand")
        }
    }

    private func commandLine() -> String {
        (["longhaul"] + CommandLine.arguments.dropFirst()).map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ")
    }
}
