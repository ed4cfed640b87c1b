import Foundation
import LonghaulCore
import Postgres
import Testing
import TestSupport

/// How the tables store what the pipeline writes for every job (issue 17 §2, migration 0023).
@Suite("Storage: big texts compress with lz4")
struct StorageTests {
    /// A result of a few KB — the stored text and Mantle's Response JSON — and its document are
    /// compressed with lz4, which costs the server a fraction of pglz's CPU for the same size.
    @Test func bigTextsCompressWithLZ4() async throws {
        try await StoreFixture.with("lz4") { fixture in
            let project = try await fixture.project("lz4")
            try await fixture.enqueue(1, into: project)
            let job = try #require(try await fixture.queue.claimJobs(worker: "w", limit: 1, lease: .seconds(60)).first)
            let text = String(repeating: "The harbour museum reopened after the flood of 1902. ", count: 60)
            let response = #"{"id":"resp_1","status":"completed","output_text":"\#(text)"}"#
            try await fixture.queue.recordSubmissions(
                [.finished(jobID: job.id, attempt: job.attempt,
                           RemoteResult(state: .completed, remoteStatus: "completed", outputText: text, responseJSON: response), startedAt: Date())],
                worker: "w")
            let methods = try await fixture.strings("""
                SELECT pg_column_compression(output_text) FROM results WHERE job_id = \(job.id)
                UNION ALL SELECT pg_column_compression(response) FROM results WHERE job_id = \(job.id)
                """)
            #expect(methods == ["lz4", "lz4"])
            let documentColumns = try await fixture.strings("""
                SELECT attrelid::regclass || '.' || attname || ' ' || attcompression::text FROM pg_attribute
                WHERE attrelid IN ('documents'::regclass, 'deliveries'::regclass) AND attname = 'body' ORDER BY 1
                """)
            #expect(documentColumns == ["deliveries.body l", "documents.body l"])
        }
    }
}
