import Foundation
import Testing

@testable import Postgres

/// The text forms, without a server: array literals, timestamps, bytea.
struct TextFormatTests {
    @Test(arguments: [
        ("{}", [String?]()),
        ("{a,b}", ["a", "b"]),
        ("{\"a b\",\"c,d\",\"e\\\"f\",\"g\\\\h\"}", ["a b", "c,d", "e\"f", "g\\h"]),
        ("{NULL,\"NULL\",null}", [nil, "NULL", nil]),
        ("{\"\",x}", ["", "x"]),
        ("[0:1]={x,y}", ["x", "y"]),
        ("{\"ünïcødé ✓\",plain}", ["ünïcødé ✓", "plain"]),
        // Escapes before a multi-byte character, NULL in any case, spaces around elements.
        ("{Null, \"a\\é\" ,\\é, nULL ,\"nULL\"}", [nil, "aé", "é", nil, "nULL"]),
    ])
    func arrayLiteralsParse(literal: String, expected: [String?]) throws {
        let parsed = try PostgresArrayLiteral.parse(literal[...]).map { $0.map(String.init) }
        #expect(parsed == expected)
    }

    @Test func arrayLiteralsRoundTripThroughFormat() throws {
        let values: [String?] = ["", "a,b", "{x}", "q\"uote", "back\\slash", nil, "NULL", " padded "]
        let parsed = try PostgresArrayLiteral.parse(PostgresArrayLiteral.format(values)[...]).map { $0.map(String.init) }
        #expect(parsed == values)
    }

    @Test("every quote and backslash is escaped, wherever it falls, and nothing else", arguments: [
        ("plain", #"{"plain"}"#), ("a\"b\\c", #"{"a\"b\\c"}"#), ("\"\"\\\\", #"{"\"\"\\\\"}"#),
        ("\\start", #"{"\\start"}"#), ("end\"", #"{"end\""}"#), ("é\"ü\\✓", #"{"é\"ü\\✓"}"#), ("", #"{""}"#),
    ])
    func arrayLiteralsEscape(element: String, literal: String) throws {
        #expect(PostgresArrayLiteral.format([element]) == literal)
        #expect(try PostgresArrayLiteral.parse(literal[...]).map { $0.map(String.init) } == [element])
    }

    @Test func multiDimensionalArraysAreRefused() {
        #expect(throws: PostgresDecodingFailure.self) { try PostgresArrayLiteral.parse("{{1,2},{3,4}}") }
    }

    @Test(arguments: [
        ("2024-05-01 12:00:00+00", 1_714_564_800.0),
        ("2024-05-01 12:00:00.25+00", 1_714_564_800.25),
        ("2024-05-01 12:00:00.000001+00", 1_714_564_800.000001),
        ("2024-05-01 17:30:00+05:30", 1_714_564_800.0),
        ("2024-05-01 04:00:00-08", 1_714_564_800.0),
        ("1970-01-01 00:00:00+00", 0.0),
        ("1969-12-31 23:59:59.5+00", -0.5),
        ("2024-05-01", 1_714_521_600.0),
        ("2024-05-01 12:00:00", 1_714_564_800.0),
    ])
    func timestampsParse(text: String, seconds: Double) throws {
        let date = try PostgresTimestamp.parse(text[...])
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_000_5)
    }

    @Test func timestampsFormatInUTCWithMicroseconds() throws {
        let date = Date(timeIntervalSince1970: 1_714_564_800.123456)
        #expect(PostgresTimestamp.format(date) == "2024-05-01 12:00:00.123456+00")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: -0.5)) == "1969-12-31 23:59:59.500000+00")
        let back = try PostgresTimestamp.parse(PostgresTimestamp.format(date)[...])
        #expect(abs(back.timeIntervalSince1970 - date.timeIntervalSince1970) < 0.000_001)
    }

    @Test func malformedTimestampsThrow() {
        #expect(throws: PostgresDecodingFailure.self) { try PostgresTimestamp.parse("yesterday") }
        #expect(throws: PostgresDecodingFailure.self) { try PostgresTimestamp.parse("2024-13-01") }
    }

    @Test func byteaHexAndEscapeFormats() throws {
        #expect(PostgresBytea.format([0x00, 0xff, 0x10]) == "\\x00ff10")
        #expect(try PostgresBytea.parse("\\x00FF10") == [0x00, 0xff, 0x10])
        #expect(try PostgresBytea.parse("a\\\\b\\001") == [0x61, 0x5c, 0x62, 0x01])
        #expect(throws: PostgresDecodingFailure.self) { try PostgresBytea.parse("\\x0") }
    }

    @Test func copyTextEscapesSpecialCharactersAndNull() throws {
        let rows: [[any PostgresEncodable]] = [["a\tb\nc\\d\re", Int?.none, 7]]
        let text = String(decoding: try PostgresCopyText.encode(rows: rows, columnCount: 3), as: UTF8.self)
        #expect(text == "a\\tb\\nc\\\\d\\re\t\\N\t7\n")
    }

    /// A parameter with a NUL is refused before it is sent, wherever the NUL is.
    @Test(arguments: [
        ("", false), ("plain", false), ("日本語 ✓", false), ("\u{0}", true), ("a\u{0}", true),
        ("日本語\u{0}✓", true), (String(repeating: "x", count: 100_000) + "\u{0}", true),
    ])
    func nulInAParameter(_ text: String, _ hasNUL: Bool) {
        #expect(PostgresBindings.containsNUL(text) == hasNUL)
    }
}
