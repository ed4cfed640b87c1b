import Foundation
import LonghaulCore
import Postgres
import Testing
import TestSupport

/// How the tables store what the pipeline writes for every job (issue 17 §2, migration 0023).
@Suite("Storage: big texts compress with lz4, and a Response is stored as the object Mantle sent")
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

    /// ANALYZE keeps statistics of what plans filter, join and sort on, and none of the payloads
    /// (migration 0024): sorting those was most of its work.
    @Test func analyzeLeavesOutThePayloads() async throws {
        try await StoreFixture.with("payload_stats") { fixture in
            let project = try await fixture.project("stats")
            try await fixture.enqueue(3, into: project)
            let job = try #require(try await fixture.queue.claimJobs(worker: "w", limit: 1, lease: .seconds(60)).first)
            try await fixture.queue.recordSubmissions(
                [.finished(jobID: job.id, attempt: job.attempt,
                           RemoteResult(state: .completed, remoteStatus: "completed", outputText: "S.", responseJSON: #"{"id":"r"}"#),
                           startedAt: Date())],
                worker: "w")
            try await fixture.pool.query("ANALYZE jobs, results, documents")
            let kept = try await fixture.strings("""
                SELECT tablename || '.' || attname FROM pg_stats
                WHERE schemaname = current_schema() AND tablename IN ('jobs', 'results', 'documents') ORDER BY 1
                """)
            for column in ["jobs.state", "jobs.project_id", "jobs.run_at", "results.job_id", "documents.sha256"] {
                #expect(kept.contains(column), "no statistics for \(column): \(kept)")
            }
            for column in ["jobs.params", "jobs.metadata", "jobs.public_id", "results.output_text", "results.response", "documents.body"] {
                #expect(!kept.contains(column), "statistics for the payload \(column)")
            }
        }
    }

    /// Endings written together, each Response spliced into the recordset as JSON
    /// (`FinalizationRecordset`): every one is stored as its own object, escapes and all, and a
    /// job without a Response stores none.
    @Test func eachResponseIsStoredAsTheObjectSent() async throws {
        try await StoreFixture.with("spliced") { fixture in
            let project = try await fixture.project("spliced")
            try await fixture.enqueue(3, into: project)
            let jobs = try await fixture.queue.claimJobs(worker: "w", limit: 3, lease: .seconds(60))
            let responses = [
                #"{"id":"resp_a","status":"completed","service_tier":"flex","note":"a \"quote\", a \\ and \u00e9\n","output":[{"x":[1,{"y":"}"}]}]}"#,
                #"{ "id" : "resp_b" , "status" : "completed" }"#,
                nil,
            ]
            try await fixture.queue.recordSubmissions(
                zip(jobs, responses).map { job, response in
                    .finished(jobID: job.id, attempt: job.attempt,
                              RemoteResult(state: .completed, remoteStatus: "completed", outputText: "S.", responseJSON: response),
                              startedAt: Date())
                },
                worker: "w")
            for (job, response) in zip(jobs, responses) {
                let stored = try #require(try await fixture.pool.query("""
                    SELECT response IS NOT DISTINCT FROM \(response)::jsonb AS same, response->>'id' AS id FROM results WHERE job_id = \(job.id)
                    """).first)
                #expect(try stored.decode("same", as: Bool.self), "job \(job.id)")
                #expect(try stored.decode("id", as: String?.self) == response.flatMap { _ in job.id == jobs[0].id ? "resp_a" : "resp_b" })
            }
            let note = try await fixture.strings("SELECT response->>'note' FROM results WHERE job_id = \(jobs[0].id)")
            #expect(note == ["a \"quote\", a \\ and é\n"])
        }
    }
}
