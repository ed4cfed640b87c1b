import Foundation
@testable import LonghaulCore
import Postgres
import TestSupport
import Testing

/// The usage roll-up (migration 0018) against the same report summed over the jobs themselves,
/// on the same data, through everything that changes a finished job afterwards.
@Suite("Usage roll-up: the same answers as the jobs, through retries, prices, archives, prunes and late calls")
struct UsageRollupTests {
    /// Every report shape the dashboard and the API ask for: by model and by day; all projects,
    /// one, one batch; the whole history, March by whole days, and a period cut mid-hour at both ends.
    static func expectSameAsJobs(
        _ usage: UsageStore, projects: [Int64], batchID: Int64?, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let periods: [(Date?, Date?)] = [
            (nil, nil), (try instant("2026-03-01T00:00:00Z"), try instant("2026-04-01T00:00:00Z")),
            (try instant("2026-03-01T10:17:00Z"), try instant("2026-03-02T23:45:30Z")), (try instant("2026-03-02T00:30:00Z"), nil),
        ]
        for grouping in [UsageGrouping.model, .day] {
            for project in [nil] + projects.map(Optional.some) {
                for batch in [nil, batchID] {
                    for (from, to) in periods {
                        let rolled = try await usage.report(projectID: project, from: from, to: to, groupBy: grouping, batchID: batch)
                        let direct = try await usage.directReport(projectID: project, from: from, to: to, groupBy: grouping, batchID: batch)
                        let context = "\(grouping.name) project \(project.map(String.init) ?? "all") batch \(batch.map(String.init) ?? "-") \(String(describing: from))…\(String(describing: to))"
                        #expect(rolled.map(\.withoutCost) == direct.map(\.withoutCost), "\(context)", sourceLocation: sourceLocation)
                        for (a, b) in zip(rolled, direct) {
                            #expect((a.cost == nil) == (b.cost == nil) && abs((a.cost ?? 0) - (b.cost ?? 0)) < 1e-9, "\(context)",
                                    sourceLocation: sourceLocation)
                        }
                    }
                }
            }
        }
    }

    static func rolledUp(_ fixture: StoreFixture) async throws -> Int {
        try await fixture.count("SELECT count(*) FROM usage_rollup")
    }

    @Test("roll-up plus live sums equal the jobs' own sums before and after each pass, with nothing counted twice or lost")
    func sameAsJobs() async throws {
        try await StoreFixture.with("usage_rollup") { fixture in
            let usage = UsageStore(pool: fixture.pool)
            let teamA = try await fixture.projects.create(NewProject(slug: "team-a", tags: ["customer": "internal"]))
            let teamB = try await fixture.project("team-b")
            let batch = try await fixture.pool.query("""
                INSERT INTO batches (public_id, project_id, name, total_jobs, pending_jobs) VALUES ('batch_r', \(teamA.id), 'r', 3, 0) RETURNING id
                """).first?.decode("id", as: Int64.self)
            let a = try await fixture.enqueue((0..<8).map { JobRequest(document: "a\($0)", model: $0 % 3 == 0 ? "m2" : "m1") }, into: teamA)
            let inBatch = try await fixture.enqueue((0..<3).map { JobRequest(document: "x\($0)", model: "m1") }, into: teamA, batchID: batch)
            let b = try await fixture.enqueue((0..<4).map { JobRequest(document: "b\($0)", model: $0 == 0 ? "m3" : "m1") }, into: teamB)
            let times = ["2026-03-01T10:00:00Z", "2026-03-01T10:20:00Z", "2026-03-01T10:59:59Z", "2026-03-02T00:10:00Z",
                         "2026-03-02T23:50:00Z", "2026-03-02T23:30:00Z", "2026-02-20T08:00:00Z", "2026-03-03T01:00:00Z"]
            let states: [JobState] = [.completed, .failed, .incomplete, .cancelled]
            for (index, job) in (a + inBatch + b).enumerated() {
                // Cached above input on one call: the per-call clamp must survive the sums.
                let usageOf = index == 5 ? Usage(inputTokens: 10, cachedTokens: 30, outputTokens: 7)
                    : index == 9 ? nil : Usage(inputTokens: 1000 + index, cachedTokens: 100 * (index % 3), outputTokens: 200 + index, reasoningTokens: index)
                try await fixture.finish(job.id, states[index % 4], at: try instant(times[index % times.count]), usage: usageOf,
                                         servedTier: index % 5 == 0 ? "flex" : nil)
            }
            try await usage.setPrice(ModelPrice(model: "m1", inputPerMillion: 1, cachedInputPerMillion: 0.5, outputPerMillion: 4))
            try await usage.setPrice(ModelPrice(model: "m1", inputPerMillion: 0.5, cachedInputPerMillion: 0.25, outputPerMillion: 2, serviceTier: "flex"))
            try await usage.setPrice(ModelPrice(model: "m3", inputPerMillion: 2, outputPerMillion: 8, currency: "EUR"))
            let projects = [teamA.id, teamB.id]

            // Nothing rolled up yet: all live.
            try await Self.expectSameAsJobs(usage, projects: projects, batchID: batch)
            // A pass a day at a time stops behind; the rest comes with the next passes.
            let first = try await usage.rollUp(maxHours: 24)
            #expect(first.behind && first.hoursRolledUp == 24)
            try await Self.expectSameAsJobs(usage, projects: projects, batchID: batch)
            while try await usage.rollUp(maxHours: 24 * 400).behind {}
            #expect(try await Self.rolledUp(fixture) > 0)
            #expect(try await fixture.count("SELECT count(*) FROM usage_rollup_stale") == 0)
            try await Self.expectSameAsJobs(usage, projects: projects, batchID: batch)

            // A failed job retried after it was summed: its hour is live until summed again.
            let failed = a[1]
            try await fixture.store.retry(publicID: failed.publicID, projectID: nil)
            #expect(try await fixture.count("SELECT count(*) FROM usage_rollup_stale") == 1)
            try await Self.expectSameAsJobs(usage, projects: projects, batchID: batch)
            #expect(try await usage.rollUp().staleHoursRedone == 1)
            #expect(try await fixture.count("SELECT count(*) FROM usage_rollup_stale") == 0)
            try await Self.expectSameAsJobs(usage, projects: projects, batchID: batch)
            // …and ends again, now (as every job ends: `finished_at` is its ending's time).
            try await fixture.finish(failed.id, .completed, usage: Usage(inputTokens: 77, outputTokens: 7))
            try await Self.expectSameAsJobs(usage, projects: projects, batchID: batch)
            try await usage.rollUp()
            try await Self.expectSameAsJobs(usage, projects: projects, batchID: batch)

            // A price changes after its calls were summed; a project is archived.
            try await usage.setPrice(ModelPrice(model: "m1", inputPerMillion: 3, cachedInputPerMillion: 1, outputPerMillion: 9))
            try await usage.setPrice(ModelPrice(model: "m2", inputPerMillion: 1, outputPerMillion: 1))
            _ = try await fixture.projects.archive(slug: "team-b")
            try await Self.expectSameAsJobs(usage, projects: projects, batchID: batch)

            // Pruned jobs (the two that ended in February) leave both.
            let retention = Date().timeIntervalSince(try instant("2026-02-25T00:00:00Z"))
            let pruned = try await fixture.queue.prune(retention: .seconds(Int64(retention)))
            #expect(pruned.prunedJobs == 2)
            try await Self.expectSameAsJobs(usage, projects: projects, batchID: batch)
            try await usage.rollUp()
            #expect(try await fixture.count("SELECT count(*) FROM usage_rollup_stale") == 0)
            try await Self.expectSameAsJobs(usage, projects: projects, batchID: batch)
        }
    }

    @Test("the watermark waits for a transaction still open, whose jobs' finished_at is its start")
    func waitsForOpenTransactions() async throws {
        try await StoreFixture.with("usage_rollup_open") { fixture in
            let usage = UsageStore(pool: fixture.pool)
            let started = try await fixture.pool.withConnection { open in
                try await open.query("BEGIN")
                let started = try #require(try await open.query("SELECT now() AS t").first?.decode("t", as: Date.self))
                let report = try await usage.rollUp(lag: .zero)
                try await open.query("COMMIT")
                #expect(try #require(report.safeUntil) <= started)
                return started
            }
            let after = try await usage.rollUp(lag: .zero)
            #expect(try #require(after.safeUntil) > started)
        }
    }
}

extension UsageRow {
    /// The row with its cost left out, for comparing costs with a tolerance.
    var withoutCost: UsageRow {
        var row = self
        row.cost = nil
        return row
    }
}
