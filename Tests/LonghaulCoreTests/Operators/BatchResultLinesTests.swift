import Foundation
import TestSupport
import Testing

@testable import LonghaulCore

@Suite("Batch results, a page at a time")
struct BatchResultLinesTests {
    @Test("pages come in document order, each read when asked for: a job that ends mid-download joins it if it comes later")
    func pagesAreReadAsTheReaderAsks() async throws {
        try await StoreFixture.with("batch_result_pages") { fixture in
            let project = try await fixture.project("team-a")
            let batch = try await fixture.batches.createBatch(project: project, name: "five", source: nil, webhookURL: nil)
            let jobs = try await fixture.enqueue(5, into: project, batchID: batch.id)
            for job in jobs.prefix(4) { _ = try await fixture.store.cancel(publicID: job.publicID, projectID: nil) }

            var lines = try await fixture.batches.resultLines(batchPublicID: batch.publicID, projectID: project.id)
            lines.pageSize = 2
            var pages = lines.makeAsyncIterator()
            var read: [[String]] = []
            read.append(try Self.jobIDs(try await pages.next()))
            // Ends after the first page was read: the last page, read only now, holds it.
            _ = try await fixture.store.cancel(publicID: jobs[4].publicID, projectID: nil)
            while let page = try await pages.next() { read.append(try Self.jobIDs(page)) }

            #expect(read == [[jobs[0], jobs[1]], [jobs[2], jobs[3]], [jobs[4]]].map { $0.map(\.publicID) })
            #expect(try await pages.next() == nil)
        }
    }

    @Test("an unknown batch, or another project's, is not found before any line is read")
    func unknownBatch() async throws {
        try await StoreFixture.with("batch_result_unknown") { fixture in
            let project = try await fixture.project("team-a")
            let other = try await fixture.project("team-b")
            let batch = try await fixture.batches.createBatch(project: project, name: "mine", source: nil, webhookURL: nil)
            await #expect(throws: StoreError.self) { try await fixture.batches.resultLines(batchPublicID: "batch_none", projectID: nil) }
            await #expect(throws: StoreError.self) { try await fixture.batches.resultLines(batchPublicID: batch.publicID, projectID: other.id) }
        }
    }

    /// The `job_id` of each JSON line in `page`.
    static func jobIDs(_ page: ArraySlice<UInt8>?) throws -> [String] {
        let text = String(decoding: try #require(page), as: UTF8.self)
        #expect(text.hasSuffix("\n"))
        return try text.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(object["job_id"] as? String)
        }
    }
}
