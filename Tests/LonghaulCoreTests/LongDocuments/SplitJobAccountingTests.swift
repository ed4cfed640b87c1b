import Foundation
import LonghaulCore
import MantleModels
import Postgres
import TestSupport
import Testing

/// What split jobs and calibrated estimates do to the books, on a real database: the queue's own
/// claim and outcome writes stand in for the workers, with Mantle's answers written as a
/// Submitter writes a held stream's end.
@Suite("Split jobs: calibrated chunks and budget, each call at its own price, late calls counted")
struct SplitJobAccountingTests {
    static var limits: JobLimits {
        var limits = JobLimits()
        limits.contextWindowScale = 0.02
        return limits
    }

    static func splitJob(mapModel: String? = nil) throws -> ValidatedJob {
        try JobRequest(document: EstimateCalibrationTests.document, maxOutputTokens: 300, strategy: .mapReduce, mapModel: mapModel)
            .validated(defaultModel: "openai.gpt-oss-120b", limits: limits, checkModel: { _ in nil })
    }

    /// Claims every due job of the fixture and ends each with `usage` (as a held stream's end is written).
    @discardableResult
    static func finishDue(_ fixture: StoreFixture, state: JobState = .completed, usage: (ClaimedJob) -> Usage) async throws -> [ClaimedJob]
    {
        let claimed = try await fixture.queue.claimJobs(worker: "w", limit: 500, lease: .seconds(60))
        try await fixture.queue.recordSubmissions(
            claimed.map { job in
                .finished(
                    jobID: job.id, attempt: job.attempt,
                    RemoteResult(state: state, remoteStatus: state.rawValue, outputText: "Summary of \(job.publicID).", usage: usage(job)),
                    startedAt: Date())
            }, worker: "w")
        return claimed
    }

    @Test("a model whose estimate ran 1.3× low: its chunks, plans and tokens-per-minute budget use the calibrated figure")
    func calibratedFromHistory() async throws {
        try await StoreFixture.with("calibrated") { fixture in
            // History in another project: 25 calls whose input Mantle counted at 1.3× the estimate.
            let history = try await fixture.project("history")
            let calls = try (0..<25).map { index in
                try fixture.validated(JobRequest(document: "Call \(index): " + String(repeating: "tide tables and moorings ", count: 40)))
            }
            _ = try await fixture.store.enqueue(calls, project: history)
            try await Self.finishDue(fixture) {
                Usage(inputTokens: Int((Double($0.estimatedInputTokens) * 1.3).rounded()), outputTokens: 50)
            }
            let calibrations = try await fixture.queue.refreshTokenCalibrations()
            let calibration = try #require(calibrations["openai.gpt-oss-120b"])
            #expect(abs(calibration.factor - 1.3) < 0.01 && calibration.samples == 25)
            #expect(calibration.margin == EstimateCalibration.calibratedMinimumMargin)

            // Chunks: cut as the pure step cuts with that calibration, smaller than without it.
            let project = try await fixture.project("books")
            let job = try Self.splitJob()
            let enqueued = try #require(try await fixture.store.enqueue([job], project: project).first)
            #expect(try await fixture.queue.advanceSplitJobs() >= 1, "the document was cut")
            let sizes = try await fixture.pool.query(
                """
                SELECT c.estimated_input_tokens FROM jobs c JOIN jobs p ON p.id = c.parent_id WHERE p.public_id = \(enqueued.publicID)
                ORDER BY (c.chunk->>'position')::int
                """
            ).map { try $0.decode(at: 0, as: Int.self) }
            let parent = MapReduceParent(
                model: job.model, maxOutputTokens: 300, instructions: job.instructions, document: job.request.document,
                settings: try #require(job.mapReduce))
            var calibrated = parent
            calibrated.calibrations = calibrations
            guard case .spawn(let expected) = MapReduceStep.next(parent: calibrated, children: []),
                case .spawn(let uncalibrated) = MapReduceStep.next(parent: parent, children: [])
            else {
                Issue.record("expected map jobs")
                return
            }
            #expect(sizes == expected.map(\.estimatedInputTokens))
            #expect(sizes.count > uncalibrated.count)
            let window = try #require(job.mapReduce).limits(for: job.model)
            #expect(sizes.allSatisfy { Double($0) * 1.3 + Double(ContextBudget.templateTokens) + 300 <= Double(window.contextWindow) })

            // Plans count input as the model will.
            let facts = try await UsageStore(pool: fixture.pool).planFacts(for: project)
            #expect(facts.calibrations["openai.gpt-oss-120b"] == calibration)
            let single = try fixture.validated(
                JobRequest(document: String(repeating: "tide tables and moorings ", count: 40), maxOutputTokens: 100))
            let plan = RunPlan.Document(name: "a.txt", job: single, alreadyDone: false, facts: facts)
            #expect(plan.inputTokens == Int((Double(single.estimatedInputTokens) * calibration.factor).rounded(.up)))

            // The tokens-per-minute budget: room for the raw estimate plus output, not for 1.3× it.
            let tight = try await fixture.project(
                "tight", tokensPerMinute: single.estimatedInputTokens + 100 + single.estimatedInputTokens / 10)
            let waiting = try #require(try await fixture.store.enqueue([single], project: tight).first)
            let claimed = try await fixture.queue.claimJobs(worker: "w2", limit: 10, lease: .seconds(60))
            #expect(!claimed.contains { $0.publicID == waiting.publicID }, "admitted at the raw estimate")
            try await fixture.pool.query("DELETE FROM token_calibrations")
            let later = try await fixture.queue.claimJobs(worker: "w2", limit: 10, lease: .seconds(60))
            #expect(later.contains { $0.publicID == waiting.publicID }, "without a calibration the raw estimate fits")
        }
    }

    @Test("a split job's map calls are priced at the map model's price, its merges at the job's")
    func eachCallAtItsOwnPrice() async throws {
        try await StoreFixture.with("split_prices") { fixture in
            let usage = UsageStore(pool: fixture.pool)
            try await usage.setPrice(ModelPrice(model: "openai.gpt-oss-120b", inputPerMillion: 1, outputPerMillion: 2, currency: "USD"))
            try await usage.setPrice(ModelPrice(model: "openai.gpt-oss-20b", inputPerMillion: 0.1, outputPerMillion: 0.2, currency: "USD"))
            let project = try await fixture.project("books")
            let job = try #require(
                try await fixture.store.enqueue([try Self.splitJob(mapModel: "openai.gpt-oss-20b")], project: project).first)
            var maps = 0
            var merges = 0
            while try await fixture.state(of: job.publicID) == .waitingForChildren {
                _ = try await fixture.queue.advanceSplitJobs()
                let ended = try await Self.finishDue(fixture) { _ in Usage(inputTokens: 1_000, outputTokens: 20) }
                maps += ended.filter { $0.model == "openai.gpt-oss-20b" }.count
                merges += ended.filter { $0.model == "openai.gpt-oss-120b" }.count
                _ = try await fixture.queue.advanceSplitJobs()
            }
            #expect(try await fixture.state(of: job.publicID) == .completed)
            #expect(maps > 1 && merges >= 1)
            let rows = try await usage.report(projectID: project.id, from: nil, to: nil, groupBy: .model)
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(row.group == "openai.gpt-oss-120b" && row.jobs == 1 && row.completed == 1)
            #expect(row.inputTokens == 1_000 * (maps + merges) && row.outputTokens == 20 * (maps + merges))
            let expected = Double(maps) * (1_000 * 0.1 + 20 * 0.2) / 1e6 + Double(merges) * (1_000 * 1 + 20 * 2) / 1e6
            #expect(abs((row.cost ?? 0) - expected) < 1e-9, "\(row.cost ?? -1) ≠ \(expected)")
            #expect(row.currency == "USD")
        }
    }

    @Test("a cancelled split job's usage takes in the calls that were running at the cancel once they end, exactly once")
    func lateCallsAfterCancel() async throws {
        try await StoreFixture.with("split_cancel") { fixture in
            let project = try await fixture.project("books", maxInFlight: 2)
            let job = try #require(try await fixture.store.enqueue([try Self.splitJob()], project: project).first)
            #expect(try await fixture.queue.advanceSplitJobs() >= 1, "the document was cut")
            let running = try await fixture.queue.claimJobs(worker: "w", limit: 2, lease: .seconds(60))
            #expect(running.count == 2)
            func end(_ child: ClaimedJob, _ state: JobState, _ usage: Usage) async throws -> RecordedOutcomes {
                try await fixture.queue.recordSubmissions(
                    [
                        .finished(
                            jobID: child.id, attempt: child.attempt, RemoteResult(state: state, remoteStatus: state.rawValue, usage: usage),
                            startedAt: Date())
                    ],
                    worker: "w")
            }
            // One call ends before the cancel, one after it (a held stream cancelled mid-answer reports what it used).
            #expect(try await end(running[0], .completed, Usage(inputTokens: 100, outputTokens: 10)).applied == 1)
            #expect(try await fixture.store.cancel(publicID: job.publicID, projectID: project.id) == .cancelled)
            #expect(try await fixture.store.job(publicID: job.publicID, projectID: nil).usage?.totalTokens == 110)
            // The cancelled job's hour is summed into the usage roll-up before the late call ends
            // (its ending moved back three hours, so that the roll-up's watermark passes it).
            let usage = UsageStore(pool: fixture.pool)
            try await fixture.pool.query("UPDATE jobs SET finished_at = finished_at - interval '3 hours' WHERE public_id = \(job.publicID)")
            try await usage.rollUp()
            #expect(try await fixture.count("SELECT count(*) FROM usage_rollup WHERE jobs > 0") == 1)
            #expect(try await usage.report(projectID: project.id, from: nil, to: nil, groupBy: .model).first?.inputTokens == 100)
            #expect(try await end(running[1], .cancelled, Usage(inputTokens: 50, outputTokens: 5)).applied == 1)
            let ended = try await fixture.store.job(publicID: job.publicID, projectID: nil)
            #expect(ended.state == .cancelled)
            #expect(ended.usage == Usage(inputTokens: 150, outputTokens: 15))
            // The same end written again applies to nothing and adds nothing.
            #expect(try await end(running[1], .cancelled, Usage(inputTokens: 50, outputTokens: 5)).applied == 0)
            #expect(try await fixture.store.job(publicID: job.publicID, projectID: nil).usage == Usage(inputTokens: 150, outputTokens: 15))
            let report = try await usage.report(projectID: project.id, from: nil, to: nil, groupBy: .model)
            #expect(report.first?.inputTokens == 150 && report.first?.cancelled == 1)
            // Summed again, the hour holds the late call once.
            #expect(try await usage.rollUp().staleHoursRedone == 1)
            #expect(try await usage.report(projectID: project.id, from: nil, to: nil, groupBy: .model) == report)
        }
    }
}
