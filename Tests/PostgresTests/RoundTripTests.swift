import Foundation
import Postgres
import TestSupport
import Testing

/// Every supported type goes to a real server and comes back unchanged.
struct RoundTripTests {
    struct Parameters: Codable, Equatable, Sendable {
        var model: String
        var maxOutputTokens: Int
        var tags: [String: String]
        var note: String?
    }

    @Test func everyTypeRoundTripsThroughATable() async throws {
        try await withFreshPool("pg_roundtrip") { pool in
            try await pool.query(
                """
                CREATE TABLE sample (
                    i bigint, i64 bigint, i32 integer, i16 smallint, s text, sub text, b boolean,
                    d double precision, f real, t timestamptz, data bytea, bytes bytea, texts text[],
                    numbers bigint[], ints bigint[], u uuid, j jsonb, maybe text
                )
                """
            )
            let date = Date(timeIntervalSince1970: 1_714_564_800.123456)
            let uuid = UUID()
            let parameters = Parameters(model: "openai.gpt-oss-120b", maxOutputTokens: 2048, tags: ["CostCenter": "21524"], note: nil)
            let texts = ["plain", "with space", "comma,inside", "quote\"inside", "back\\slash", "{braces}", "", "NULL", "日本語 ✓"]
            let bytes: [UInt8] = [0, 1, 2, 0x5c, 0x27, 0xff]
            let text = "héllo wörld — ☃ 🚀 \t tab \n newline 'quote' \"double\""
            try await pool.query(
                """
                INSERT INTO sample VALUES (\(Int.max), \(Int64.min), \(Int32.max), \(Int16.min), \(text), \(text[...]),
                    \(true), \(Double.pi), \(Float(1.5)), \(date), \(Data(bytes)), \(bytes), \(texts),
                    \([Int64.min, 0, Int64.max]), \([1, 2, 3]), \(uuid), \(PostgresJSON(parameters)), \(String?.none))
                """
            )
            let rows = try await pool.query("SELECT * FROM sample")
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(try row.decode("i", as: Int.self) == Int.max)
            #expect(try row.decode("i64", as: Int64.self) == Int64.min)
            #expect(try row.decode("i32", as: Int32.self) == Int32.max)
            #expect(try row.decode("i16", as: Int16.self) == Int16.min)
            #expect(try row.decode("s", as: String.self) == text)
            #expect(try row.decode("sub", as: Substring.self) == text[...])
            #expect(try row.decode("b", as: Bool.self) == true)
            #expect(try row.decode("d", as: Double.self) == Double.pi)
            #expect(try row.decode("f", as: Float.self) == 1.5)
            let decodedDate = try row.decode("t", as: Date.self)
            #expect(abs(decodedDate.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_001)
            #expect(try row.decode("data", as: Data.self) == Data(bytes))
            #expect(try row.decode("bytes", as: [UInt8].self) == bytes)
            #expect(try row.decode("texts", as: [String].self) == texts)
            #expect(try row.decode("numbers", as: [Int64].self) == [Int64.min, 0, Int64.max])
            #expect(try row.decode("ints", as: [Int].self) == [1, 2, 3])
            #expect(try row.decode("u", as: UUID.self) == uuid)
            #expect(try row.decode("j", as: PostgresJSON<Parameters>.self).value == parameters)
            #expect(try row.decode("maybe", as: String?.self) == nil)
            #expect(try row.decode(at: 0, as: Int.self) == Int.max)
        }
    }

    @Test func nullsAreExplicit() async throws {
        try await withFreshPool("pg_nulls") { pool in
            let row = try #require(
                try await pool.query(
                    "SELECT \(Int?.none) AS i, \(Date?.none) AS t, \([String]?.none) AS a, \(Data?.none) AS b, ARRAY['x', NULL] AS partial"
                ).first
            )
            #expect(try row.decode("i", as: Int?.self) == nil)
            #expect(try row.decode("t", as: Date?.self) == nil)
            #expect(try row.decode("a", as: [String]?.self) == nil)
            #expect(try row.decode("b", as: Data?.self) == nil)
            #expect(try row.decode("partial", as: [String?].self) == ["x", nil])
            #expect(row["i"].isNull)

            let error = try #require(throws: PostgresError.self) { try row.decode("i", as: Int.self) }
            #expect(error.kind == .decoding)
            #expect(error.message.contains("\"i\""))
            #expect(error.message.contains("NULL"))
            #expect(throws: PostgresError.self) { try row.decode("partial", as: [String].self) }
            #expect(throws: PostgresError.self) { try row.decode("missing", as: Int?.self) }
        }
    }

    @Test func typedParametersWorkWithoutCasts() async throws {
        try await withFreshPool("pg_typed") { pool in
            let big = Int64(1) << 40
            let row = try #require(
                try await pool.query(
                    "SELECT \(big) + 1 AS sum, \(Date(timeIntervalSince1970: 0)) + interval '1 day' AS later, \(Duration.seconds(90)) AS pause, now() AS now"
                ).first
            )
            #expect(try row.decode("sum", as: Int64.self) == big + 1)
            #expect(try row.decode("later", as: Date.self) == Date(timeIntervalSince1970: 86_400))
            #expect(try row.decode("pause", as: String.self) == "00:01:30")
            let now = try row.decode("now", as: Date.self)
            #expect(abs(now.timeIntervalSinceNow) < 60)
        }
    }

    @Test func timestampsWithOffsetsAndSpecialValuesDecode() async throws {
        try await withFreshPool("pg_timestamps") { pool in
            let row = try #require(
                try await pool.query(
                    """
                    SELECT '2024-05-01 17:30:00.5+05:30'::timestamptz AS offset_value,
                           'infinity'::timestamptz AS forever,
                           '2024-05-01 12:00:00'::timestamp AS naive,
                           current_setting('TimeZone') AS zone
                    """
                ).first
            )
            #expect(try row.decode("offset_value", as: Date.self).timeIntervalSince1970 == 1_714_564_800.5)
            #expect(try row.decode("forever", as: Date.self) == .distantFuture)
            #expect(try row.decode("naive", as: Date.self).timeIntervalSince1970 == 1_714_564_800)
            #expect(try row.decode("zone", as: String.self) == "UTC")
        }
    }

    @Test func aFiveMegabyteTextValueRoundTrips() async throws {
        try await withFreshPool("pg_large") { pool in
            let chunk = "Longhaul ✓ — 12345\n"
            let text = String(repeating: chunk, count: 5_000_000 / chunk.utf8.count + 1)
            try await pool.query("CREATE TABLE documents (body text)")
            try await pool.query("INSERT INTO documents VALUES (\(text))")
            let rows = try await pool.query("SELECT body, octet_length(body) AS size FROM documents")
            let row = try #require(rows.first)
            #expect(try row.decode("size", as: Int.self) == text.utf8.count)
            #expect(try row.decode("body", as: String.self) == text)
        }
    }

    @Test func textWithNULIsRefusedBeforeSending() async throws {
        try await withFreshPool("pg_nul") { pool in
            let error = try await #require(throws: PostgresError.self) {
                try await pool.query("SELECT \("a\u{0}b")")
            }
            #expect(error.kind == .encoding)
        }
    }

    @Test func affectedRowsComeFromTheCommandTag() async throws {
        try await withFreshPool("pg_affected") { pool in
            try await pool.query("CREATE TABLE t (n int)")
            let inserted = try await pool.query("INSERT INTO t SELECT generate_series(1, 7)")
            #expect(inserted.affectedRows == 7)
            let updated = try await pool.query("UPDATE t SET n = n + 1 WHERE n > \(4)")
            #expect(updated.affectedRows == 3)
            #expect(updated.commandTag == "UPDATE 3")
        }
    }
}
