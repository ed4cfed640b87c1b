import Foundation
import LonghaulCore
import Postgres
import TestSupport
import Testing

/// Spending caps per batch at the claim: a batch's jobs run while their worst case fits what is
/// left of its cap; the rest wait with the reason, and nothing else waits with them.
@Suite("Batch budgets at the claim")
struct BatchBudgetTests {
    /// A batch of `count` jobs in `project`, with `cap` (none: nil).
    static func batch(
        _ fixture: StoreFixture, _ name: String, of count: Int, in project: Project, cap: BatchBudgetCap? = nil, model: String? = nil
    ) async throws -> (batch: BatchRecord, jobs: [EnqueuedJob]) {
        let jobs = try (0..<count).map { index in
            try fixture.validated(JobRequest(document: "Document \(index) of \(name). It has a sentence.", model: model, maxOutputTokens: 100))
        }
        return try await BatchStore(pool: fixture.pool, jobs: fixture.store).enqueueBatch(
            jobs, project: project, name: name, source: nil, webhookURL: nil, budget: cap)
    }

    /// How many of each batch's jobs (by public id; no batch: "none") are in flight.
    static func inFlight(_ fixture: StoreFixture) async throws -> [String: Int] {
        let rows = try await fixture.pool.query("""
            SELECT coalesce(b.public_id, 'none') AS batch, count(*)::bigint AS n FROM jobs j LEFT JOIN batches b ON b.id = j.batch_id
            WHERE j.state = 'submitting' GROUP BY 1
            """)
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode("batch", as: String.self), try $0.decode("n", as: Int.self)) })
    }

    @Test("a token cap admits exactly the jobs that fit; the rest wait with the reason; other batches and projects go on")
    func tokenCapAdmitsWhatFits() async throws {
        try await StoreFixture.with("batch_budget_tokens") { fixture in
            let project = try await fixture.project("acme", maxInFlight: 100)
            let other = try await fixture.project("other", maxInFlight: 100)
            let capped = try await Self.batch(fixture, "capped", of: 6, in: project, cap: BatchBudgetCap(maxTokens: 0, maxCost: nil))
            let free = try await Self.batch(fixture, "free", of: 4, in: project)
            _ = try await fixture.enqueue(3, into: other)
            // The cap fits three and a half of the batch's jobs (their worst cases are alike).
            let worst = try await fixture.count("SELECT max(estimated_input_tokens + max_output_tokens) FROM jobs WHERE batch_id = \(capped.batch.id)")
            let cap = Int64(7 * worst / 2)
            try await BatchStore(pool: fixture.pool, jobs: fixture.store).setBudget(
                batchPublicID: capped.batch.publicID, projectID: nil, BatchBudgetCap(maxTokens: cap, maxCost: nil))

            // Ten claimers at once: the cap's headroom is never spent twice.
            let claimed = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<10 {
                    group.addTask { try await fixture.queue.claimJobs(worker: "w\(worker)", limit: 20, lease: .seconds(60)).count }
                }
                return try await group.reduce(0, +)
            }
            #expect(claimed == 3 + 4 + 3)
            #expect(try await Self.inFlight(fixture) == [capped.batch.publicID: 3, free.batch.publicID: 4, "none": 3])

            let waiting = try #require(try await fixture.store.job(publicID: capped.jobs[5].publicID, projectID: nil).waiting)
            #expect(waiting.reason == .batchBudgetReached)
            #expect(waiting.message.contains("budget for batch \(capped.batch.publicID) reached") && waiting.message.contains("of \(cap) tokens"),
                    "\(waiting.message)")
            let summary = try await BatchStore(pool: fixture.pool, jobs: fixture.store).batch(publicID: capped.batch.publicID, projectID: nil)
            let budget = try #require(summary.budget)
            let reservedInFlight = try await fixture.count(
                "SELECT sum(reserved_tokens) FROM jobs WHERE budget_batch_id = \(capped.batch.id) AND state = 'submitting'")
            #expect(budget.maxTokens == cap && budget.spentTokens == 0 && budget.reservedTokens == Int64(reservedInFlight))
            #expect(try await BatchStore(pool: fixture.pool, jobs: fixture.store).batch(publicID: free.batch.publicID, projectID: nil).budget == nil)

            // A call that ends spends what it used and frees the rest of its worst case.
            let first = try #require(try await fixture.pool.query(
                "SELECT id, lease_owner FROM jobs WHERE batch_id = \(capped.batch.id) AND state = 'submitting' ORDER BY id LIMIT 1").first)
            let used = Usage(inputTokens: 20, outputTokens: 10)
            try await fixture.queue.recordSubmissions(
                [.finished(jobID: try first.decode("id"), attempt: 1,
                           RemoteResult(state: .completed, remoteStatus: "completed", outputText: "S.", usage: used), startedAt: Date())],
                worker: try first.decode("lease_owner"))
            let settled = try #require(try await BatchStore(pool: fixture.pool, jobs: fixture.store)
                .batch(publicID: capped.batch.publicID, projectID: nil).budget)
            #expect(settled.spentTokens == 30 && settled.reservedTokens < budget.reservedTokens)
            // 3.5 worst cases − 30 spent − two in flight leaves room for one more.
            #expect(try await fixture.queue.claimJobs(worker: "w", limit: 20, lease: .seconds(60)).count == 1)

            // Raising the cap lets the rest run.
            try await BatchStore(pool: fixture.pool, jobs: fixture.store).setBudget(
                batchPublicID: capped.batch.publicID, projectID: nil, BatchBudgetCap(maxTokens: 10_000, maxCost: nil))
            #expect(try await fixture.queue.claimJobs(worker: "w", limit: 20, lease: .seconds(60)).count == 2)
            #expect(try await Self.inFlight(fixture)[capped.batch.publicID] == 5)
        }
    }

    @Test("a cap set on a batch that already ran counts its whole life: finished calls at once, calls in flight when they end")
    func aLateCapCountsTheWholeBatch() async throws {
        try await StoreFixture.with("batch_budget_late") { fixture in
            let project = try await fixture.project("acme", maxInFlight: 100)
            let late = try await Self.batch(fixture, "late", of: 3, in: project)
            let store = BatchStore(pool: fixture.pool, jobs: fixture.store)
            let claimed = try await fixture.queue.claimJobs(worker: "w", limit: 2, lease: .seconds(60))
            #expect(claimed.count == 2)
            func finish(_ index: Int, input: Int, output: Int) async throws {
                try await fixture.queue.recordSubmissions(
                    [.finished(jobID: claimed[index].id, attempt: 1,
                               RemoteResult(state: .completed, remoteStatus: "completed", outputText: "S.",
                                            usage: Usage(inputTokens: input, outputTokens: output)), startedAt: Date())],
                    worker: "w")
            }
            try await finish(0, input: 20, output: 10)

            try await store.setBudget(batchPublicID: late.batch.publicID, projectID: nil, BatchBudgetCap(maxTokens: 10_000, maxCost: nil))
            #expect(try await store.batch(publicID: late.batch.publicID, projectID: nil).budget?.spentTokens == 30, "the finished call")
            try await finish(1, input: 40, output: 5)
            #expect(try await store.batch(publicID: late.batch.publicID, projectID: nil).budget?.spentTokens == 75, "and the one in flight")

            // Setting the cap again (already capped) keeps the tally.
            try await store.setBudget(batchPublicID: late.batch.publicID, projectID: nil, BatchBudgetCap(maxTokens: 20_000, maxCost: nil))
            #expect(try await store.batch(publicID: late.batch.publicID, projectID: nil).budget?.spentTokens == 75)
        }
    }

    @Test("a cap in money admits jobs at their model's price; a job of a model without a price waits")
    func moneyCapUsesPrices() async throws {
        try await StoreFixture.with("batch_budget_money") { fixture in
            let project = try await fixture.project("acme", maxInFlight: 100)
            // openai.gpt-5.4 ships at 16.50 per million output tokens: 100 output tokens cost $0.00165,
            // a few input tokens a little more; $0.005 fits two.
            let priced = try await Self.batch(
                fixture, "priced", of: 4, in: project, cap: BatchBudgetCap(maxTokens: nil, maxCost: 0.005), model: "openai.gpt-5.4")
            let unpriced = try await Self.batch(
                fixture, "unpriced", of: 2, in: project, cap: BatchBudgetCap(maxTokens: nil, maxCost: 100), model: "openai.gpt-oss-120b")
            #expect(try await fixture.queue.claimJobs(worker: "w", limit: 20, lease: .seconds(60)).count == 2)
            #expect(try await Self.inFlight(fixture) == [priced.batch.publicID: 2])
            let reserved = try #require(try await BatchStore(pool: fixture.pool, jobs: fixture.store)
                .batch(publicID: priced.batch.publicID, projectID: nil).budget?.reservedCost)
            #expect(reserved > 0.0033 && reserved <= 0.005)

            let waiting = try #require(try await fixture.store.job(publicID: unpriced.jobs[0].publicID, projectID: nil).waiting)
            #expect(waiting.reason == .batchBudgetReached && waiting.message.contains("has no price"), "\(waiting.message)")
        }
    }

    @Test("a map or merge call of a long document counts against its document's batch")
    func childCallsCountAgainstTheParentsBatch() async throws {
        try await StoreFixture.with("batch_budget_children") { fixture in
            let project = try await fixture.project("acme", maxInFlight: 100)
            let capped = try await Self.batch(fixture, "capped", of: 1, in: project, cap: BatchBudgetCap(maxTokens: 0, maxCost: nil))
            // The document was split: its job waits for two chunk calls, which carry no batch of their own.
            try await fixture.pool.query("UPDATE jobs SET state = 'waiting_for_children' WHERE id = \(capped.jobs[0].id)")
            try await fixture.pool.query("""
                INSERT INTO jobs (public_id, project_id, document_id, max_attempts, max_output_tokens, estimated_input_tokens, model, params,
                                  metadata, parent_id, chunk, held)
                SELECT p.public_id || '_' || n, p.project_id, p.document_id, p.max_attempts, p.max_output_tokens, p.estimated_input_tokens,
                       p.model, '{"strategy": "single"}', '{}', p.id, jsonb_build_object('level', 1, 'index', n), false
                FROM jobs p, generate_series(1, 2) n WHERE p.id = \(capped.jobs[0].id)
                """)
            let child = try #require(try await fixture.strings("SELECT public_id FROM jobs WHERE parent_id IS NOT NULL ORDER BY id").first)
            #expect(try await fixture.queue.claimJobs(worker: "w", limit: 20, lease: .seconds(60)).isEmpty)
            let waiting = try await fixture.store.job(publicID: child, projectID: nil).waiting
            #expect(waiting?.reason == .batchBudgetReached && waiting?.message.contains(capped.batch.publicID) == true, "\(String(describing: waiting))")

            let worst = try await fixture.count("SELECT max(estimated_input_tokens + max_output_tokens) FROM jobs WHERE parent_id IS NOT NULL")
            try await BatchStore(pool: fixture.pool, jobs: fixture.store).setBudget(
                batchPublicID: capped.batch.publicID, projectID: nil, BatchBudgetCap(maxTokens: Int64(worst + worst / 2), maxCost: nil))
            #expect(try await fixture.queue.claimJobs(worker: "w", limit: 20, lease: .seconds(60)).count == 1)
            #expect(try await fixture.count("SELECT count(*) FROM jobs WHERE budget_batch_id = \(capped.batch.id) AND state = 'submitting'") == 1)
        }
    }

    @Test("a cap is refused when it is negative, and an unknown batch is not found")
    func badCaps() async throws {
        try await StoreFixture.with("batch_budget_bad") { fixture in
            let project = try await fixture.project("acme")
            let batches = BatchStore(pool: fixture.pool, jobs: fixture.store)
            await #expect(throws: StoreError.self) {
                _ = try await Self.batch(fixture, "bad", of: 1, in: project, cap: BatchBudgetCap(maxTokens: -1, maxCost: nil))
            }
            await #expect(throws: StoreError.self) {
                try await batches.setBudget(batchPublicID: "batch_nope", projectID: nil, BatchBudgetCap(maxTokens: nil, maxCost: 1))
            }
            let batch = try await Self.batch(fixture, "ok", of: 1, in: project)
            await #expect(throws: StoreError.self) {
                try await batches.setBudget(batchPublicID: batch.batch.publicID, projectID: nil, BatchBudgetCap(maxTokens: nil, maxCost: .nan))
            }
            #expect(try await fixture.count("SELECT count(*) FROM batches") == 1, "the refused batch was stored whole or not at all")
        }
    }
}
