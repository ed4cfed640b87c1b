import Foundation
import JSONWriting
import Postgres
import Testing
import TestSupport

@testable import LonghaulCore

/// The finalizer's recordset, written by hand (`FinalizationRecordset.postgresText`), holds each
/// ending as its `Encodable` conformance gives it, with the Response spliced in as an object;
/// and PostgreSQL reads every field of it back as it was.
@Suite struct FinalizationRecordsetTests {
    static let texts = JSONTexts.tricky

    static let responses: [String?] = [
        nil,
        #"{"id":"resp_a","status":"completed","note":"a \"quote\", a \\ and \u00e9\n","output":[{"x":[1,{"y":"}"}]}]}"#,
        #"{ "id" : "resp_b" , "status" : "incomplete", "usage": null }"#,
    ]

    /// Endings that between them set and unset every field, with every kind of text in them.
    static func endings(texts: [String] = texts) -> [Finalization] {
        JobState.allCases.indices.flatMap { stateIndex in
            texts.indices.map { textIndex in
                let index = stateIndex * texts.count + textIndex
                let text = texts[textIndex]
                let some = index % 2 == 0
                return Finalization(
                    jobID: Int64(index + 1) * (index == 3 ? Int64(Int32.max) : 1),
                    attempt: some ? index % 7 : nil,
                    state: JobState.allCases[stateIndex],
                    remoteStatus: index % 3 == 0 ? "completed" : nil,
                    outputText: some ? text : nil,
                    usage: index % 3 == 1
                        ? Usage(inputTokens: index, cachedTokens: 2, outputTokens: 30_000, reasoningTokens: 7, totalTokens: nil) : nil,
                    incompleteReason: index % 4 == 1 ? "max_output_tokens" : nil,
                    errorCode: some ? nil : "server_error",
                    errorMessage: some ? nil : text,
                    response: responses[index % responses.count])
            }
        }
    }

    static func parsed(_ json: some DataProtocol) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed])
    }

    @Test func eachRowIsWhatTheEncoderWritesWithTheResponseSpliced() throws {
        let endings = Self.endings()
        let text = try #require(try FinalizationRecordset(endings: endings).postgresText())
        let rows = try #require(try Self.parsed(Data(text.utf8)) as? [NSDictionary])
        #expect(rows.count == endings.count)
        for (row, ending) in zip(rows, endings) {
            let encoded = try JSONEncoder().encode(ending)
            let expected = try #require((try Self.parsed(encoded) as? NSDictionary)?.mutableCopy() as? NSMutableDictionary)
            if let response = ending.response { expected["response"] = try Self.parsed(Data(response.utf8)) }
            #expect(row == expected, "job \(ending.jobID)")
            #expect((try Self.parsed(ending.jsonBytes) as? NSDictionary) == (try Self.parsed(encoded) as? NSDictionary))
        }
        #expect(try FinalizationRecordset(endings: []).postgresText() == "[]")
    }

    /// What the finalizer's `jsonb_to_recordset` reads from the text is every field as it was
    /// (texts without NUL, which `jsonb` refuses whoever writes it).
    @Test func postgresReadsEveryFieldBack() async throws {
        let endings = Self.endings(texts: Self.texts.filter { !$0.contains("\u{0}") })
        try await StoreFixture.with("recordset") { fixture in
            let rows = try await fixture.pool.query("""
                SELECT job_id, attempt::integer, state::text, remote_status, output_text, input_tokens, cached_tokens, output_tokens,
                       reasoning_tokens, total_tokens, incomplete_reason, error_code, error_message, response::text
                FROM jsonb_to_recordset(\(FinalizationRecordset(endings: endings))) AS u(
                    job_id bigint, attempt smallint, state job_state, remote_status text, output_text text,
                    input_tokens integer, cached_tokens integer, output_tokens integer, reasoning_tokens integer,
                    total_tokens integer, incomplete_reason text, error_code text, error_message text, response jsonb)
                ORDER BY job_id
                """)
            #expect(rows.count == endings.count)
            for (row, ending) in zip(rows, endings.sorted { $0.jobID < $1.jobID }) {
                #expect(try row.decode("job_id", as: Int64.self) == ending.jobID)
                #expect(try row.decode("attempt", as: Int?.self) == ending.attempt)
                #expect(try row.decode("state", as: String.self) == ending.state.rawValue)
                #expect(try row.decode("remote_status", as: String?.self) == ending.remoteStatus)
                #expect(try row.decode("output_text", as: String?.self) == ending.outputText)
                #expect(try row.decode("input_tokens", as: Int?.self) == ending.inputTokens)
                #expect(try row.decode("cached_tokens", as: Int?.self) == ending.cachedTokens)
                #expect(try row.decode("output_tokens", as: Int?.self) == ending.outputTokens)
                #expect(try row.decode("reasoning_tokens", as: Int?.self) == ending.reasoningTokens)
                #expect(try row.decode("total_tokens", as: Int?.self) == ending.totalTokens)
                #expect(try row.decode("incomplete_reason", as: String?.self) == ending.incompleteReason)
                #expect(try row.decode("error_code", as: String?.self) == ending.errorCode)
                #expect(try row.decode("error_message", as: String?.self) == ending.errorMessage)
                let response = try row.decode("response", as: String?.self)
                #expect((try response.map { try Self.parsed(Data($0.utf8)) as? NSDictionary })
                    == (try ending.response.map { try Self.parsed(Data($0.utf8)) as? NSDictionary }))
            }
        }
    }
}
