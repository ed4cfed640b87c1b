import Foundation
import LonghaulCore
import Postgres
import TestSupport
import Testing

@Suite("Listing jobs")
struct JobListingTests {
    @Test("pages are newest first, and jobs added while paging neither appear later nor shift what follows")
    func paginationIsStable() async throws {
        try await StoreFixture.with("list_pages") { fixture in
            let project = try await fixture.project("team-a")
            let original = try await fixture.enqueue(25, into: project).map(\.publicID)

            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await fixture.store.listJobs(JobFilter(projectID: project.id), limit: 10, cursor: cursor)
                seen += page.jobs.map(\.publicID)
                cursor = page.nextCursor
                pages += 1
                try await fixture.enqueue(3, into: project)  // arrives between pages
            } while cursor != nil
            #expect(pages == 3)
            #expect(seen == original.reversed())

            let first = try await fixture.store.listJobs(JobFilter(), limit: 1000, cursor: nil)
            #expect(first.jobs.count == 34 && first.nextCursor == nil)
            #expect(first.jobs.map(\.id) == first.jobs.map(\.id).sorted(by: >))
        }
    }

    @Test("an exact last page has no next cursor")
    func exactLastPage() async throws {
        try await StoreFixture.with("list_exact") { fixture in
            let project = try await fixture.project("team-a")
            try await fixture.enqueue(4, into: project)
            let first = try await fixture.store.listJobs(JobFilter(), limit: 2, cursor: nil)
            let second = try await fixture.store.listJobs(JobFilter(), limit: 2, cursor: first.nextCursor)
            #expect(first.nextCursor != nil && second.jobs.count == 2 && second.nextCursor == nil)
        }
    }

    @Test("filters by project, state, batch, creation time and metadata combine")
    func filters() async throws {
        try await StoreFixture.with("list_filters") { fixture in
            let teamA = try await fixture.project("team-a")
            let teamB = try await fixture.project("team-b")
            // Ids grow with creation times, as they do when jobs are enqueued: the oldest job first.
            let other = try await fixture.enqueue(2, into: teamB)
            try await fixture.pool.query("UPDATE jobs SET created_at = '2026-01-01T00:00:00Z' WHERE id = \(other[0].id)")
            let batch = try await fixture.batches.createBatch(project: teamA, name: "reports", source: nil, webhookURL: nil)
            let inBatch = try await fixture.enqueue(3, into: teamA, batchID: batch.id)
            let tagged = try await fixture.enqueue(
                [
                    JobRequest(document: "One.", metadata: ["customer": "acme"], sourcePath: "2026/Q3/Report_acme.pdf"),
                    JobRequest(document: "Two.", metadata: ["customer": "globex"], sourcePath: "2026/Q3/report-globex.html"),
                    JobRequest(document: "Three.", metadata: ["region": "eu"]),
                ], into: teamA)
            try await fixture.finish(inBatch[0].id, .completed, usage: Usage(inputTokens: 10, outputTokens: 5))

            func ids(_ filter: JobFilter) async throws -> Set<String> {
                Set(try await fixture.store.listJobs(filter, limit: 100, cursor: nil).jobs.map(\.publicID))
            }
            #expect(try await ids(JobFilter(projectID: teamB.id)) == Set(other.map(\.publicID)))
            #expect(try await ids(JobFilter(state: .completed)) == [inBatch[0].publicID])
            #expect(try await ids(JobFilter(projectID: teamA.id, state: .queued)).count == 5)
            #expect(try await ids(JobFilter(batchPublicID: batch.publicID)) == Set(inBatch.map(\.publicID)))
            #expect(try await ids(JobFilter(batchPublicID: "batch_nope")).isEmpty)
            #expect(try await ids(JobFilter(metadataKey: "customer")) == Set(tagged[0...1].map(\.publicID)))
            #expect(try await ids(JobFilter(metadataKey: "customer", metadataValue: "acme")) == [tagged[0].publicID])
            #expect(try await ids(JobFilter(metadataKey: "customer", metadataValue: "ACME")).isEmpty)
            func search(_ text: String) async throws -> Set<String> {
                var filter = JobFilter()
                filter.sourceContains = text
                return try await ids(filter)
            }
            #expect(try await search("REPORT") == Set(tagged[0...1].map(\.publicID)))
            #expect(try await search("report_") == [tagged[0].publicID])  // `_` is a letter here, not a wildcard
            #expect(try await search("q3/report-g") == [tagged[1].publicID])
            #expect(try await search("%").isEmpty)
            let cut = try instant("2026-06-01T00:00:00Z")
            #expect(try await ids(JobFilter(createdBefore: cut)) == [other[0].publicID])
            #expect(try await ids(JobFilter(projectID: teamB.id, createdAfter: cut)) == [other[1].publicID])

            let completed = try await fixture.store.listJobs(JobFilter(state: .completed), limit: 10, cursor: nil).jobs[0]
            #expect(completed.usage == Usage(inputTokens: 10, outputTokens: 5) && completed.outputText == "Summary.")
            #expect(completed.batch == batch.publicID && completed.project == "team-a")
        }
    }

    @Test("a limit out of range and a cursor this server did not issue are refused, naming the field")
    func invalidArguments() async throws {
        try await StoreFixture.with("list_invalid") { fixture in
            for limit in [0, 1001, -1] {
                await #expect {
                    try await fixture.store.listJobs(JobFilter(), limit: limit, cursor: nil)
                } throws: { error in
                    if case StoreError.invalid(field: "limit", _) = error { true } else { false }
                }
            }
            for cursor in ["", "!!", "djE6", "bm9wZQ", "djE6LTU", String(repeating: "A", count: 200)] {
                await #expect {
                    try await fixture.store.listJobs(JobFilter(), limit: 10, cursor: cursor)
                } throws: { error in
                    if case StoreError.invalid(field: "cursor", _) = error { true } else { false }
                }
            }
        }
    }
}

@Suite("Listing jobs by creation time")
struct JobCreatedRangeTests {
    @Test("a created range finds exactly the jobs created in it, at either end of a long history")
    func createdRangeIsExact() async throws {
        try await StoreFixture.with("list_created") { fixture in
            let project = try await fixture.project("team-a")
            let jobs = try await fixture.enqueue(60, into: project)
            // One job a day, oldest first, ending today: the order enqueues give ids and times.
            try await fixture.pool.query(
                """
                UPDATE jobs SET created_at = date_trunc('day', now()) - (\(jobs.count) - row) * interval '1 day' + interval '12 hours'
                FROM (SELECT id, row_number() OVER (ORDER BY id) AS row FROM jobs) o WHERE o.id = jobs.id
                """)
            let today = Calendar(identifier: .gregorian).startOfDay(for: Date())
            func created(daysAgo from: Int, to: Int) async throws -> [String] {
                let filter = JobFilter(
                    createdAfter: today.addingTimeInterval(Double(-from) * 86_400),
                    createdBefore: today.addingTimeInterval(Double(-to) * 86_400))
                return try await fixture.store.listJobs(filter, limit: 100, cursor: nil).jobs.map(\.publicID)
            }
            let newestFirst = jobs.map(\.publicID).reversed().map { $0 }
            // newestFirst[k] was created at noon k days ago.
            #expect(try await created(daysAgo: 0, to: -1) == [newestFirst[0]])
            #expect(try await created(daysAgo: 10, to: 7) == Array(newestFirst[8...10]))
            #expect(try await created(daysAgo: 60, to: 58) == [newestFirst[59]])
            #expect(try await created(daysAgo: 90, to: 60).isEmpty)
            #expect(try await fixture.store.countJobs(JobFilter(createdAfter: today.addingTimeInterval(-5 * 86_400)), upTo: 100) == 6)
        }
    }
}
