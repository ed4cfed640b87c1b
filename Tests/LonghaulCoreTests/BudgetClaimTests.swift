import Foundation
import LonghaulCore
import Postgres
import TestSupport
import Testing

/// Spending caps at the claim: the worst case of every admitted job fits what is left, under any
/// number of concurrent claimers, and a reservation ends with the flight it was made for.
@Suite("Budgets at the claim")
struct BudgetClaimTests {
    /// The worst case of one of `fixture.enqueue`'s jobs (they differ by a digit at most).
    static func worstCase(_ fixture: StoreFixture) async throws -> Int {
        try await fixture.count("SELECT max(estimated_input_tokens + max_output_tokens) FROM jobs")
    }

    @Test("ten concurrent claimers admit exactly the jobs that fit a token cap; the rest wait with the reason")
    func concurrentClaimersNeverOverspend() async throws {
        try await StoreFixture.with("budget_claim", maxConnections: 12) { fixture in
            let project = try await fixture.project("capped", maxInFlight: 100)
            let jobs = try await fixture.enqueue(20, into: project)
            let worst = try await Self.worstCase(fixture)
            let budgets = BudgetStore(pool: fixture.pool)
            try await budgets.set(projectID: project.id, period: .month, maxTokens: Int64(5 * worst), maxCost: nil)

            let claimed = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<10 {
                    group.addTask { try await fixture.queue.claimJobs(worker: "w\(worker)", limit: 20, lease: .seconds(60)).count }
                }
                return try await group.reduce(0, +)
            }
            #expect(claimed == 5)
            let reserved = try await fixture.count("SELECT coalesce(sum(reserved_tokens), 0) FROM jobs WHERE state = 'submitting'")
            #expect(reserved <= 5 * worst && reserved > 4 * worst)

            let status = try #require(try await budgets.budgets(projectID: project.id).first)
            #expect(status.blocksNextJob && status.reservedTokens == Int64(reserved) && status.spentTokens == 0)
            let queued = try #require(jobs.last)
            let waiting = try #require(try await fixture.store.job(publicID: queued.publicID, projectID: nil).waiting)
            #expect(waiting.reason == .budgetReached)
            #expect(waiting.message.contains("budget for project capped reached") && waiting.message.contains("this month"), "\(waiting.message)")
            #expect(waiting.nextTryAt != nil)

            // A worker killed mid-create: its leases expire and the Maintainer takes the jobs back.
            // Their creates may have made Responses that run on, unfollowed, and bill: each keeps
            // its reservation until that Response's worst-case end, then it ends by itself.
            try await fixture.pool.query("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE state = 'submitting'")
            #expect(try await fixture.queue.rescueExpiredSubmissions().requeued == 5)
            #expect(try await budgets.budgets(projectID: project.id).first?.reservedTokens == Int64(reserved))
            #expect(try await fixture.queue.claimJobs(worker: "again", limit: 20, lease: .seconds(60)).isEmpty)
            try await fixture.pool.query("UPDATE jobs SET orphan_until = now() - interval '1 second' WHERE orphan_until IS NOT NULL")
            #expect(try await budgets.budgets(projectID: project.id).first?.reservedTokens == 0)
            #expect(try await fixture.queue.claimJobs(worker: "again", limit: 20, lease: .seconds(60)).count == 5)

            // Raising the cap admits more at once.
            try await budgets.set(projectID: project.id, period: .month, maxTokens: Int64(8 * worst), maxCost: nil)
            #expect(try await fixture.queue.claimJobs(worker: "raised", limit: 20, lease: .seconds(60)).count == 3)
        }
    }

    @Test("under a cap in money a model without a price waits, and a price lets it run")
    func unpricedModelWaitsUnderAMoneyCap() async throws {
        try await StoreFixture.with("budget_money") { fixture in
            let project = try await fixture.project("priced")
            let jobs = try await fixture.enqueue(3, into: project)
            let budgets = BudgetStore(pool: fixture.pool)
            try await budgets.set(projectID: project.id, period: .day, maxTokens: nil, maxCost: 1)
            #expect(try await fixture.queue.claimJobs(worker: "w", limit: 10, lease: .seconds(60)).isEmpty)
            let waiting = try await fixture.store.job(publicID: jobs[0].publicID, projectID: nil).waiting
            #expect(waiting?.reason == .budgetReached && waiting?.message.contains("today") == true, "\(String(describing: waiting))")

            try await UsageStore(pool: fixture.pool).setPrice(ModelPrice(model: "openai.gpt-oss-120b", inputPerMillion: 0.15, outputPerMillion: 0.6))
            #expect(try await fixture.queue.claimJobs(worker: "w", limit: 10, lease: .seconds(60)).count == 3)
            let reserved = try #require(try await budgets.budgets(projectID: project.id).first?.reservedCost)
            #expect(reserved > 0 && reserved < 0.001)
        }
    }

    @Test("a create that may have made a Response keeps its max_in_flight slot until that Response's worst-case end")
    func orphanedResponsesKeepTheirSlot() async throws {
        try await StoreFixture.with("budget_orphans") { fixture in
            let project = try await fixture.project("tight", maxInFlight: 2)
            try await fixture.enqueue(4, into: project, maxOutputTokens: 2_000)
            let claimed = try await fixture.queue.claimJobs(worker: "w", limit: 10, lease: .seconds(60))
            #expect(claimed.count == 2)
            // The first create's answer was lost: it may have made a Response.
            let lost = AttemptError(code: "connection_lost", message: "the connection closed before the answer")
            try await fixture.queue.recordSubmissions(
                [.retry(jobID: claimed[0].id, attempt: claimed[0].attempt, retryIn: .zero, error: lost, startedAt: Date())], worker: "w")
            #expect(try await fixture.queue.claimJobs(worker: "w", limit: 10, lease: .seconds(60)).isEmpty, "the orphan's slot was given away")
            let until = try await fixture.count("SELECT extract(epoch FROM orphan_until - now())::int FROM jobs WHERE orphan_until IS NOT NULL")
            #expect((90...100).contains(until), "2,000 tokens at 20 a second: about 100 s, got \(until)")
            try await fixture.pool.query("UPDATE jobs SET orphan_until = now() - interval '1 second'")
            #expect(try await fixture.queue.claimJobs(worker: "w", limit: 10, lease: .seconds(60)).count == 1)
        }
    }

    @Test("a cap reserves a calibrated model's input as the model counts it, not as estimated")
    func reservationsUseTheCalibratedEstimate() async throws {
        try await StoreFixture.with("budget_calibrated") { fixture in
            let project = try await fixture.project("capped")
            try await fixture.enqueue(1, into: project)
            let model = try #require(try await fixture.strings("SELECT model FROM jobs").first)
            let estimate = try await fixture.count("SELECT estimated_input_tokens FROM jobs")
            let output = try await fixture.count("SELECT max_output_tokens FROM jobs")
            _ = try await fixture.strings(
                "INSERT INTO token_calibrations (model, factor, margin, samples) VALUES ('\(model)', 1.5, 1.1, 40) RETURNING model")
            let budgets = BudgetStore(pool: fixture.pool)
            let expected = Int((Double(estimate) * 1.5).rounded(.up)) + output
            // A cap that the raw estimate would fit under, and the calibrated one does not.
            try await budgets.set(projectID: project.id, period: .month, maxTokens: Int64(expected - 1), maxCost: nil)
            #expect(try await budgets.budgets(projectID: project.id).first?.blocksNextJob == true)
            #expect(try await fixture.queue.claimJobs(worker: "w", limit: 1, lease: .seconds(60)).isEmpty)
            try await budgets.set(projectID: project.id, period: .month, maxTokens: Int64(expected), maxCost: nil)
            #expect(try await budgets.budgets(projectID: project.id).first?.blocksNextJob == false)
            #expect(try await fixture.queue.claimJobs(worker: "w", limit: 1, lease: .seconds(60)).count == 1)
            #expect(try await fixture.count("SELECT reserved_tokens FROM jobs") == expected)
        }
    }

    @Test("the next job a cap weighs is the claim's next, whether it runs as a held stream or as a Response")
    func nextJobSpansBothKinds() async throws {
        try await StoreFixture.with("budget_next_kind") { fixture in
            let project = try await fixture.project("capped")
            try await fixture.enqueue(1, into: project, maxOutputTokens: 100)
            try await fixture.enqueue(1, into: project, maxOutputTokens: 5_000)
            let small = try await fixture.count("SELECT min(estimated_input_tokens + max_output_tokens) FROM jobs")
            let budgets = BudgetStore(pool: fixture.pool)
            // Room for the small job, not for the big one.
            try await budgets.set(projectID: project.id, period: .month, maxTokens: Int64(small + 1_000), maxCost: nil)
            #expect(try await budgets.budgets(projectID: project.id).first?.blocksNextJob == false, "the small job is first in line")

            // The big one, a held stream, moves ahead of the small one, a Response: it is next.
            try await fixture.pool.query("UPDATE jobs SET held = true, priority = 5 WHERE max_output_tokens = 5000")
            #expect(try await budgets.budgets(projectID: project.id).first?.blocksNextJob == true, "the held stream is first in line")

            // And back behind it, the other way round.
            try await fixture.pool.query("UPDATE jobs SET held = false, priority = 0 WHERE max_output_tokens = 5000")
            try await fixture.pool.query("UPDATE jobs SET held = true WHERE max_output_tokens = 100")
            #expect(try await budgets.budgets(projectID: project.id).first?.blocksNextJob == false, "the small held stream is first in line")
        }
    }

    @Test("a cut stream goes on at Bedrock: its attempt keeps its slot and reservation, and the cap is charged its unseen rest")
    func cutStreamsAreChargedTheirUnseenOutput() async throws {
        try await StoreFixture.with("budget_cut") { fixture in
            let project = try await fixture.project("capped")
            try await fixture.enqueue(1, into: project, maxOutputTokens: 500)
            try await BudgetStore(pool: fixture.pool).set(projectID: project.id, period: .month, maxTokens: 1_000_000, maxCost: nil)
            let first = try #require(try await fixture.queue.claimJobs(worker: "w", limit: 1, lease: .seconds(60)).first)
            let cut = AttemptError(code: AttemptError.streamCut, message: "the stream ended without an end")
            try await fixture.queue.recordSubmissions(
                [.interrupted(jobID: first.id, attempt: 1, retryIn: .zero, error: cut, usage: Usage(inputTokens: 100, outputTokens: 40), startedAt: Date())],
                worker: "w")
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE orphan_until > now() AND reserved_tokens IS NOT NULL") == 1)

            try await fixture.pool.query("UPDATE jobs SET orphan_until = NULL")
            let second = try #require(try await fixture.queue.claimJobs(worker: "w", limit: 1, lease: .seconds(60)).first)
            let usage = Usage(inputTokens: 100, outputTokens: 200)
            try await fixture.queue.recordSubmissions(
                [.finished(jobID: second.id, attempt: 2, RemoteResult(state: .completed, remoteStatus: "end_turn", outputText: "S.", usage: usage), startedAt: Date())],
                worker: "w")
            // Usage is what was seen: both attempts' input, 40 + 200 output. The cap also pays
            // the 460 tokens the cut attempt may have gone on to write.
            #expect(try await fixture.count("SELECT input_tokens + output_tokens FROM results") == 440)
            #expect(try await BudgetStore(pool: fixture.pool).budgets(projectID: project.id).first?.spentTokens == 900)
        }
    }

    @Test("a held stream cancelled by the user is charged its unseen rest; a cancelled Response is not")
    func cancelledStreamsAreChargedTheirUnseenOutput() async throws {
        try await StoreFixture.with("budget_cancel") { fixture in
            let project = try await fixture.project("capped")
            try await fixture.enqueue(2, into: project, maxOutputTokens: 500)
            try await fixture.pool.query("UPDATE jobs SET held = (id = (SELECT min(id) FROM jobs))")
            try await BudgetStore(pool: fixture.pool).set(projectID: project.id, period: .month, maxTokens: 1_000_000, maxCost: nil)
            let held = try await fixture.queue.claimJobs(worker: "w", limit: 1, lease: .seconds(60), held: true)
            let background = try await fixture.queue.claimJobs(worker: "w", limit: 1, lease: .seconds(60))
            let seen = Usage(inputTokens: 100, outputTokens: 40)
            try await fixture.queue.recordSubmissions(
                (held + background).map {
                    .finished(jobID: $0.id, attempt: 1, RemoteResult(state: .cancelled, remoteStatus: "cancelled", usage: seen), startedAt: Date())
                }, worker: "w")
            // 2 × 140 seen, and the stream's 460 unseen.
            #expect(try await BudgetStore(pool: fixture.pool).budgets(projectID: project.id).first?.spentTokens == 740)
        }
    }

    @Test("a project without a cap reserves nothing")
    func noCapNoReservation() async throws {
        try await StoreFixture.with("budget_none") { fixture in
            let project = try await fixture.project("free")
            try await fixture.enqueue(3, into: project)
            #expect(try await fixture.queue.claimJobs(worker: "w", limit: 10, lease: .seconds(60)).count == 3)
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE reserved_tokens IS NOT NULL") == 0)
        }
    }
}
