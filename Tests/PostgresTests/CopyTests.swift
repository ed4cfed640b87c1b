import Foundation
import Postgres
import TestSupport
import Testing

struct CopyTests {
    @Test func copiesTenThousandRowsWithEscapesAndNulls() async throws {
        try await withFreshPool("pg_copy") { pool in
            try await pool.query("CREATE SCHEMA archive")
            try await pool.query("CREATE TABLE archive.documents (id bigint, body text, tags text[], created_at timestamptz, note text)")
            let created = Date(timeIntervalSince1970: 1_714_564_800.5)
            let rows: [[any PostgresEncodable]] = (1...10_000).map { id in
                [id, "line \(id)\twith tab\nnewline \\ backslash ✓", ["a", "b,\(id)"], created, id % 2 == 0 ? String?.none : "odd"]
            }
            let copied = try await pool.withConnection { connection in
                try await connection.copyIn(table: "archive.documents", columns: ["id", "body", "tags", "created_at", "note"], rows: rows)
            }
            #expect(copied == 10_000)
            let summary = try #require(
                try await pool.query("SELECT count(*) AS n, count(note) AS notes, sum(id) AS total FROM archive.documents").first
            )
            #expect(try summary.decode("n", as: Int.self) == 10_000)
            #expect(try summary.decode("notes", as: Int.self) == 5_000)
            #expect(try summary.decode("total", as: Int.self) == 50_005_000)
            let row = try #require(try await pool.query("SELECT * FROM archive.documents WHERE id = \(42)").first)
            #expect(try row.decode("body", as: String.self) == "line 42\twith tab\nnewline \\ backslash ✓")
            #expect(try row.decode("tags", as: [String].self) == ["a", "b,42"])
            #expect(try row.decode("created_at", as: Date.self) == created)
            #expect(try row.decode("note", as: String?.self) == nil)
        }
    }

    @Test func aBadCopyFailsAndLeavesTheConnectionUsable() async throws {
        try await withFreshPool("pg_copy_bad", maxConnections: 1) { pool in
            try await pool.query("CREATE TABLE numbers (n int)")
            let error = try await #require(throws: PostgresError.self) {
                try await pool.withConnection { connection in
                    try await connection.copyIn(table: "numbers", columns: ["n"], rows: [["1"], ["not a number"]])
                }
            }
            #expect(error.code == .invalidTextRepresentation)
            #expect(try await pool.query("SELECT count(*) AS n FROM numbers").first?.decode("n", as: Int.self) == 0)
        }
    }
}
