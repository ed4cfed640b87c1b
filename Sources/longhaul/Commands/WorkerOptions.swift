import ArgumentParser
import Foundation
import Logging
import LonghaulCore
import Postgres
import Workers

/// The options of the worker loops, shared by `longhaul work` and `longhaul serve --with-workers`.
struct WorkerOptions: ParsableArguments {
    @Option(
        name: .long, parsing: .upToNextOption, help: "Loops to run (comma or space separated): submit, poll, maintain, deliver, coordinate."
    )
    var roles: [String] = ["submit,poll,maintain,deliver,coordinate"]

    @Option(name: .long, help: "Concurrent Mantle calls per loop (default: 64 creates, 128 retrieves).")
    var concurrency: Int?

    @Option(
        name: .long,
        help:
            "Held streams at once, apart from the calls of --concurrency (models without background mode: Claude, chat-only; default 512).")
    var streamConcurrency: Int?

    // Hidden: the default 30 s lease suits production; end-to-end tests kill workers and must not
    // wait that long for the rescue.
    @Option(name: .long, help: ArgumentHelp("Lease of claimed jobs, in seconds (default 30).", visibility: .hidden))
    var leaseSeconds: Double?

    @Option(
        name: .long, help: "Seconds from an accepted create to the first poll (default 1; 0 polls at once, for a fast or simulated Mantle)."
    )
    var firstPoll: Double?

    @Option(name: .long, help: "Shortest wait between polls of one Response, in seconds (default 1, at least 0.1).")
    var minPollInterval: Double?

    @Option(name: .long, help: "Longest wait between polls of one Response, in seconds (default 30).")
    var maxPollInterval: Double?

    @Option(
        name: .long,
        help: "Background Responses whose streams this worker holds, to see their end at once (default 64; 0 polls them all).")
    var maxStreams: Int?

    @Option(
        name: .long,
        help:
            "How long finished jobs (with their results) and webhook deliveries are kept before they are pruned: 90s, 15m, 24h, 7d (default 7d)."
    )
    var retention: HumanDuration?

    func validate() throws {
        _ = try parsedRoles()
        if let leaseSeconds, !(1...3600).contains(leaseSeconds) {
            throw ValidationError("--lease-seconds must be between 1 and 3600")
        }
        if let concurrency, concurrency < 1 || concurrency > 10_000 {
            throw ValidationError("--concurrency must be between 1 and 10000")
        }
        if let streamConcurrency, streamConcurrency < 1 || streamConcurrency > 10_000 {
            throw ValidationError("--stream-concurrency must be between 1 and 10000")
        }
        if let firstPoll, !(0...3600).contains(firstPoll) {
            throw ValidationError("--first-poll must be between 0 and 3600 seconds")
        }
        // A zero interval would poll a running Response in a tight loop.
        for (name, value) in [("--min-poll-interval", minPollInterval), ("--max-poll-interval", maxPollInterval)] {
            if let value, !(0.1...3600).contains(value) {
                throw ValidationError("\(name) must be between 0.1 and 3600 seconds")
            }
        }
        if let maxStreams, !(0...10_000).contains(maxStreams) {
            throw ValidationError("--max-streams must be between 0 and 10000 (0 polls every Response)")
        }
        if let retention, retention.seconds < 60 {
            throw ValidationError("--retention must be at least 60s (got \(retention)): a finished job must stay readable for a while")
        }
        if let minPollInterval, let maxPollInterval, minPollInterval > maxPollInterval {
            throw ValidationError("--min-poll-interval (\(minPollInterval) s) must not exceed --max-poll-interval (\(maxPollInterval) s)")
        }
    }

    /// The default poll schedule with the options given applied.
    func pollSchedule() -> PollSchedule {
        var schedule = PollSchedule()
        if let firstPoll { schedule.first = .milliseconds(Int64((firstPoll * 1000).rounded())) }
        if let minPollInterval { schedule.minimum = .milliseconds(Int64((minPollInterval * 1000).rounded())) }
        if let maxPollInterval { schedule.maximum = .milliseconds(Int64((maxPollInterval * 1000).rounded())) }
        schedule.maximum = max(schedule.maximum, schedule.minimum)
        return schedule
    }

    func parsedRoles() throws -> Set<WorkerRole> {
        let names = roles.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return Set(
            try names.map { name in
                guard let role = WorkerRole(rawValue: name) else {
                    throw ValidationError("unknown role '\(name)'; choose from submit, poll, maintain, deliver, coordinate")
                }
                return role
            })
    }

    /// The worker loops with these options over the environment's configuration.
    func makeWorkerGroup(pool: PostgresPool, runtime: MantleRuntime, tracing: Bool = false, logger: Logger) async throws -> WorkerGroup {
        var configuration: WorkerConfiguration
        do {
            configuration = try WorkerConfiguration.fromEnvironment()
        } catch {
            throw ValidationError("\(error)")
        }
        if let concurrency {
            configuration.submitConcurrency = concurrency
            configuration.pollConcurrency = concurrency
        }
        if let streamConcurrency { configuration.streamConcurrency = streamConcurrency }
        if let leaseSeconds {
            configuration = configuration.withLease(.milliseconds(Int64(leaseSeconds * 1000)))
        }
        configuration.pollSchedule = pollSchedule()
        if let maxStreams { configuration.maxBackgroundStreams = maxStreams }
        if let retention { configuration.retention = retention.duration }
        configuration.tracing = tracing
        let projects = ProjectStore(pool: pool)
        _ = try await projects.ensureDefault()
        return WorkerGroup(
            queue: JobQueue(pool: pool, publicBaseURL: PublicURL.configured), gateway: runtime.gateway(projects: projects, logger: logger),
            roles: try parsedRoles(),
            configuration: configuration, logger: logger)
    }
}
