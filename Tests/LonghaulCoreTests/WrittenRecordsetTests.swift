import Foundation
import JSONWriting
import Postgres
import Testing
import TestSupport

@testable import LonghaulCore

/// The recordsets every job passes through (its accept, its attempt) are written by hand; each
/// row reads as what its synthesised `Encodable` conformance gives `JSONEncoder` (the same members
/// and values; `JSONEncoder` on Linux orders keys as its dictionary does, the writer as declared),
/// for rows that set and unset every optional member and carry every kind of text.
@Suite struct WrittenRecordsetTests {
    static let encoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return encoder
    }()

    static let attempts: [JobQueue.AttemptRow] = JSONTexts.tricky.indices.map { index in
        let text = JSONTexts.tricky[index]
        let some = index % 2 == 0
        return JobQueue.AttemptRow(
            job_id: Int64(index + 1) * Int64(Int32.max), attempt: index % 5, response_id: some ? "resp_\(index)" : nil,
            http_status: some ? nil : 429, outcome: index % 3 == 0 ? "submitted" : "interrupted", error_code: some ? nil : "rate_limited",
            error_message: some ? nil : text, started_ms: Int64(index) * 1_700_000_000_000,
            input_tokens: index % 3 == 1 ? index : nil, cached_tokens: index % 3 == 1 ? 0 : nil,
            output_tokens: index % 4 == 1 ? 30_000 : nil, input_tokens_estimated: index % 4 == 1)
    }

    static let accepted: [JobQueue.AcceptedRow] = JSONTexts.tricky.indices.map { index in
        JobQueue.AcceptedRow(
            job_id: Int64(index + 1), attempt: index % 5 + 1, response_id: JSONTexts.tricky[index], remote_status: "in_progress",
            delay_ms: Int64(index) * 250, held_lease_ms: index % 2 == 0 ? 60_000 : nil)
    }

    static func parsed(_ json: some DataProtocol) throws -> NSObject? {
        try JSONSerialization.jsonObject(with: Data(json)) as? NSObject
    }

    @Test func eachRowReadsAsWhatTheEncoderWrites() throws {
        for row in Self.attempts {
            #expect(try Self.parsed(row.jsonBytes) == (try Self.parsed(try Self.encoder.encode(row))), "attempt of job \(row.job_id)")
        }
        for row in Self.accepted {
            #expect(try Self.parsed(row.jsonBytes) == (try Self.parsed(try Self.encoder.encode(row))), "accept of job \(row.job_id)")
        }
    }

    @Test func theRecordsetIsTheRowsInAnArray() throws {
        let text = try #require(try recordset(Self.accepted).postgresText())
        #expect(try Self.parsed(Data(text.utf8)) == (try Self.parsed(try Self.encoder.encode(Self.accepted))))
        #expect((try Self.parsed(Data(text.utf8)) as? NSArray)?.count == Self.accepted.count)
        #expect(try recordset([JobQueue.AttemptRow]()).postgresText() == "[]")
        // The overload for rows that write themselves is the one chosen, not `JSONEncoder`'s.
        #expect(recordset(Self.accepted) is WrittenRecordset<JobQueue.AcceptedRow>)
        #expect(recordset(Self.attempts) is WrittenRecordset<JobQueue.AttemptRow>)
    }
}
