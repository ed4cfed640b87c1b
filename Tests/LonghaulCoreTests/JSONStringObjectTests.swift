import Foundation
import LonghaulCore
import JSONReading
import Postgres
import TestSupport
import Testing

/// An object of strings read back from `jsonb` is what `JSONDecoder` reads, whichever reader
/// takes it, and what is not an object of strings is refused alike.
@Suite struct JSONStringObjectTests {
    /// Objects as a client may send them; PostgreSQL writes each back in its own spelling.
    static let objects: [String] = [
        "{}", #"{"team":"a/b","é":"日本","empty":""}"#,
        #"{"quote\"key":"tab\tvalue","nl":"line\nline","ctl":"\u0001\u001f","emoji":"😀 \ud83d\ude00","back":"\\"}"#,
        #"{"z":"1","a":"2","m":"3"}"#,
    ]

    @Test("jsonb objects of strings read as JSONDecoder reads them")
    func sameAsJSONDecoder() async throws {
        try await StoreFixture.with("string_object") { fixture in
            for object in Self.objects {
                let rows = try await fixture.pool.query("SELECT \(object)::jsonb AS value")
                let row = try #require(rows.first)
                let read = try row.decode("value", as: JSONStringObject.self).value
                #expect(read == (try row.decode("value", as: PostgresJSON<[String: String]>.self).value), "\(object)")
                #expect(read == (try JSONDecoder().decode([String: String].self, from: Data(object.utf8))), "\(object)")
                // The strict reader takes PostgreSQL's spelling unless a key has an escape.
                let text = try #require(try await fixture.pool.query("SELECT \(object)::jsonb::text AS text").first).decode("text", as: String.self)
                let strict = StrictJSON(bytes: Array(text.utf8)).flatMap { try? $0.stringObject($0.root) }
                #expect((strict == nil) == object.contains("quote"), "\(text)")
            }
            for notStrings in [#"{"a":1}"#, #"{"a":null}"#, #"["a"]"#, #""a""#] {
                let rows = try await fixture.pool.query("SELECT \(notStrings)::jsonb AS value")
                let row = try #require(rows.first)
                #expect(throws: (any Error).self, "\(notStrings)") { try row.decode("value", as: JSONStringObject.self) }
            }
        }
    }
}
