import Foundation
import LonghaulCore
import MantleSimulator
import Postgres
import Testing
import TestSupport
import Workers

/// Documents longer than the model's window, through the real pipeline: the simulator's windows
/// scaled to 2 % (gpt-oss: 2,621 tokens) on both sides, so small documents cross them.
@Suite("Map-reduce: documents longer than the window, as map and merge jobs")
struct MapReduceTests {
    static let scale = 0.02

    static func simulator(_ base: MantleSimulatorConfiguration = .quick) -> MantleSimulatorConfiguration {
        var configuration = base
        configuration.contextWindowScale = scale
        return configuration
    }

    static var limits: JobLimits {
        var limits = JobLimits()
        limits.contextWindowScale = scale
        return limits
    }

    /// `chapters` chapters of three sections, each section two paragraphs whose sentences name it.
    static func book(chapters: Int) -> String {
        (1...chapters).map { chapter in
            "# Chapter \(chapter)\n\n"
                + (1...3).map { section in
                    "## Section \(chapter).\(section)\n\n"
                        + (1...2).map { paragraph in
                            (1...5).map { sentence in
                                "In chapter \(chapter) section \(section) the harbour master logged entry \(paragraph * 10 + sentence) of the tide tables."
                            }.joined(separator: " ")
                        }.joined(separator: "\n\n")
                }.joined(separator: "\n\n")
        }.joined(separator: "\n\n")
    }

    static func enqueue(_ request: JobRequest, _ harness: PipelineHarness, into project: Project) async throws -> EnqueuedJob {
        let job = try request.validated(defaultModel: "openai.gpt-oss-120b", limits: limits, checkModel: { _ in nil })
        return try #require(try await harness.fixture.store.enqueue([job], project: project).first)
    }

    /// The children of a job: public id, level, state and the text each was given.
    static func children(of publicID: String, _ harness: PipelineHarness) async throws -> [(id: String, level: Int, position: Int, state: String, document: String)] {
        let rows = try await harness.fixture.pool.query("""
            SELECT c.public_id, (c.chunk->>'level')::int AS level, (c.chunk->>'position')::int AS position, c.state::text AS state, d.body
            FROM jobs c JOIN jobs p ON p.id = c.parent_id JOIN documents d ON d.id = c.document_id
            WHERE p.public_id = \(publicID) ORDER BY level, position
            """)
        return try rows.map { (try $0.decode("public_id"), try $0.decode("level"), try $0.decode("position"), try $0.decode("state"), try $0.decode("body")) }
    }

    @Test("a document of 20 windows completes through map-reduce: every call's usage summed, order kept, the job itself never sent")
    func twentyWindows() async throws {
        try await PipelineHarness.with("mr20", simulator: Self.simulator()) { harness in
            let project = try await harness.project("team", maxInFlight: 20)
            let book = Self.book(chapters: 90)
            #expect(TokenEstimate.inputTokens(book) > 20 * 2_621)
            let job = try await Self.enqueue(JobRequest(document: book, maxOutputTokens: 400), harness, into: project)
            #expect(job.state == .waitingForChildren)
            let ended = try await harness.waitForTerminal([job.publicID], timeout: .seconds(120))[0]
            #expect(ended.state == .completed, "\(ended.errorCode ?? ""): \(ended.errorMessage ?? "")")
            #expect(ended.outputText?.isEmpty == false)
            let split = try #require(ended.split)
            #expect(split.chunks >= 20)
            #expect(split.chunksCompleted == split.chunks)
            #expect(split.levels.count >= 3, "\(split.levels)")
            #expect(split.levels.last?.jobs == 1)

            let children = try await Self.children(of: job.publicID, harness)
            #expect(children.allSatisfy { $0.state == "completed" })
            // The job's usage is the sum of every call; each level's is the sum of its own.
            let sum = try await harness.fixture.count("""
                SELECT sum(r.total_tokens) FROM jobs c JOIN results r ON r.job_id = c.id
                WHERE c.parent_id = (SELECT id FROM jobs WHERE public_id = '\(job.publicID)')
                """)
            #expect(ended.usage?.totalTokens == sum)
            #expect(split.levels.map(\.usage.totalTokens).reduce(0, +) == sum)
            #expect(split.calls == children.count)

            // Merges list their parts in document order, and each level covers the parts in order.
            for merge in children where merge.level >= 2 {
                let labels = merge.document.split(separator: "\n").filter { $0.hasPrefix("[Part") }
                let firsts = labels.compactMap { label in label.split(separator: " ").dropFirst().first.flatMap { Int($0.split(separator: "–")[0]) } }
                #expect(!firsts.isEmpty && firsts == firsts.sorted(), "out of order: \(labels)")
            }
            let mapTexts = children.filter { $0.level == 1 }.map(\.document)
            #expect(mapTexts.first?.hasPrefix("# Chapter 1") == true)
            #expect(mapTexts.last?.contains("Chapter 90") == true)

            // One create per child, none for the job itself.
            let counters = harness.simulator.counters()
            #expect(counters.createsByJob[job.publicID] == nil)
            #expect(counters.createsByJob.count == children.count)
            #expect(counters.createsByJob.values.allSatisfy { $0.values.reduce(0, +) == 1 })
        }
    }

    @Test("a document that fits takes exactly one call, even with auto")
    func fitsInOneCall() async throws {
        try await PipelineHarness.with("mrfits", simulator: Self.simulator()) { harness in
            let project = try await harness.project("team")
            let job = try await Self.enqueue(JobRequest(document: Self.book(chapters: 1).prefix(3_000).description, maxOutputTokens: 400), harness, into: project)
            #expect(job.state == .queued)
            let ended = try await harness.waitForTerminal([job.publicID])[0]
            #expect(ended.state == .completed)
            #expect(ended.split == nil)
            #expect(harness.simulator.counters().createsByJob.count == 1)
            // The estimate's calibration against what Mantle counted, as the gauge reports it.
            let ratios = try await harness.fixture.queue.tokenEstimateRatios()
            #expect(ratios.count == 1 && ratios.first?.model == "openai.gpt-oss-120b" && ratios.first?.calls == 1)
            #expect(ratios.first.map { $0.ratio > 0.8 && $0.ratio < 1.2 } == true, "\(ratios)")
        }
    }

    @Test("cancelling mid-map ends the job at once and cancels every child")
    func cancelMidMap() async throws {
        var slow = MantleSimulatorConfiguration(speed: 1, seed: 5)
        slow.minimumDurationSeconds = 30
        slow.maximumDurationSeconds = 40
        try await PipelineHarness.with("mrcancel", simulator: Self.simulator(slow)) { harness in
            let project = try await harness.project("team", maxInFlight: 3)
            let job = try await Self.enqueue(JobRequest(document: Self.book(chapters: 10), maxOutputTokens: 400), harness, into: project)
            let deadline = ContinuousClock.now + .seconds(20)
            while try await harness.fixture.count("SELECT count(*) FROM jobs WHERE state = 'running' AND parent_id IS NOT NULL") < 3 {
                guard ContinuousClock.now < deadline else { Issue.record("no map job started"); return }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await harness.fixture.store.cancel(publicID: job.publicID, projectID: project.id) == .cancelled)
            #expect(try await harness.fixture.state(of: job.publicID) == .cancelled)
            let children = try await Self.children(of: job.publicID, harness)
            #expect(children.count > 3)
            let ended = try await harness.waitForTerminal(children.map(\.id), timeout: .seconds(25))
            #expect(ended.allSatisfy { $0.state == .cancelled }, "\(ended.map(\.state))")
            // Cancelled children announce nothing of their own; the job announced its end once.
            #expect(try await harness.fixture.count("SELECT count(*) FROM jobs WHERE state = 'queued' OR state = 'running'") == 0)
        }
    }

    @Test("workers stopped mid-map lose no finished chunk: a new worker group finishes without calling them again")
    func stopMidMap() async throws {
        try await PipelineHarness.with("mrstop", simulator: Self.simulator(MantleSimulatorConfiguration(speed: 20, seed: 9))) { harness in
            let project = try await harness.project("team", maxInFlight: 4)
            let job = try await Self.enqueue(JobRequest(document: Self.book(chapters: 12), maxOutputTokens: 400), harness, into: project)
            let deadline = ContinuousClock.now + .seconds(60)
            while try await harness.fixture.count("SELECT count(*) FROM jobs WHERE state = 'completed' AND parent_id IS NOT NULL") < 3 {
                guard ContinuousClock.now < deadline else { Issue.record("no chunk completed"); return }
                try await Task.sleep(for: .milliseconds(20))
            }
            await harness.workers.stop()
            let finishedBefore = try await harness.fixture.strings(
                "SELECT public_id FROM jobs WHERE state = 'completed' AND parent_id IS NOT NULL")
            #expect(!finishedBefore.isEmpty)
            let second = RunningWorkers.start("second", queue: harness.fixture.queue, gateway: harness.gateway, configuration: .fast)
            let ended: JobDetail
            do {
                ended = try await harness.waitForTerminal([job.publicID], timeout: .seconds(120))[0]
            } catch {
                await second.stop()
                throw error
            }
            await second.stop()
            #expect(ended.state == .completed)
            let creates = harness.simulator.counters().createsByJob
            for id in finishedBefore {
                #expect(creates[id]?.values.reduce(0, +) == 1, "chunk \(id) was called again")
            }
        }
    }

    @Test("retrying a failed split job runs only the children that failed")
    func retryRunsOnlyFailedChildren() async throws {
        var flaky = MantleSimulatorConfiguration.quick
        flaky.createFaults.failedResponse = 0.5
        try await PipelineHarness.with("mrretry", simulator: Self.simulator(flaky)) { harness in
            let project = try await harness.project("team", maxInFlight: 20, maxAttempts: 1)
            // 12 chunks: the seeded simulator's fault draws fall to the chunks' creates in whatever
            // order the creates, their durations and the polls interleave, and with 6 chunks all of
            // them drew a failure often enough to fail a clean-clone run now and then.
            let job = try await Self.enqueue(JobRequest(document: Self.book(chapters: 24), maxOutputTokens: 400), harness, into: project)
            let failed = try await harness.waitForTerminal([job.publicID], timeout: .seconds(60))[0]
            #expect(failed.state == .failed)
            #expect(failed.errorCode == "child_failed")
            let before = try await Self.children(of: job.publicID, harness)
            let completedBefore = before.filter { $0.state == "completed" }.map(\.id)
            let failedBefore = before.filter { $0.state == "failed" }.map(\.id)
            #expect(!failedBefore.isEmpty && !completedBefore.isEmpty, "\(before.map { "\($0.level).\($0.position) \($0.state)" })")

            harness.simulator.updateConfiguration(Self.simulator())
            try await harness.fixture.store.retry(publicID: job.publicID, projectID: project.id)
            let ended = try await harness.waitForTerminal([job.publicID], timeout: .seconds(60))[0]
            #expect(ended.state == .completed, "\(ended.errorMessage ?? "")")
            let creates = harness.simulator.counters().createsByJob
            for id in completedBefore { #expect(creates[id]?.values.reduce(0, +) == 1, "completed chunk \(id) was called again") }
            for id in failedBefore { #expect(creates[id]?.values.reduce(0, +) == 2, "failed chunk \(id) was not called again once") }
        }
    }
}
