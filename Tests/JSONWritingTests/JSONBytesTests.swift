import Foundation
import JSONWriting
import Testing

/// `JSONBytes` writes what `JSONEncoder` writes (`.withoutEscapingSlashes`, and `.sortedKeys` for
/// `object(sortingKeysOf:)`), byte for byte, on the inputs that escaping and ordering get wrong.
@Suite struct JSONBytesTests {
    static func encoded(_ value: some Encodable, sortedKeys: Bool = false) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = sortedKeys ? [.sortedKeys, .withoutEscapingSlashes] : .withoutEscapingSlashes
        return [UInt8](try encoder.encode(value))
    }

    /// Every ASCII character, alone and between others, and text beyond ASCII.
    static let strings: [String] =
        (0..<0x80).map { String(UnicodeScalar(UInt8($0))) } + [
            "", "plain", "a \"quote\" and a \\ backslash", "\\\"", "\"\"\"", "\\\\", "slash / and </script>",
            "line\nbreak\r\ncrlf\ttab\u{8}backspace\u{C}feed", "\u{0}nul\u{1}\u{1F}\u{7F}del", "é café naïve", "日本語のテキスト",
            "emoji 👩‍👩‍👧‍👦 🇫🇷 😀", "\u{2028}line separator\u{2029}", "\u{FEFF}bom", "mixed \"é\"\n\\日本\u{1}😀",
            String(repeating: "long text with a \"quote\" now and then. ", count: 200),
        ]

    @Test func stringsAreEscapedAsJSONEncoderEscapesThem() throws {
        for string in Self.strings {
            var json = JSONBytes()
            json.string(string)
            #expect(json.bytes == (try Self.encoded(string)), "\(string.debugDescription)")
            let read = try JSONDecoder().decode(String.self, from: Data(json.bytes))
            #expect(read == string)
        }
    }

    @Test func controlCharactersUseTheShortEscapesOrFourHexDigits() {
        var json = JSONBytes()
        json.string("\u{0}\u{8}\u{9}\u{A}\u{B}\u{C}\u{D}\u{1B}\u{1F} \"\\/")
        #expect(String(decoding: json.bytes, as: UTF8.self) == #""\u0000\b\t\n\u000b\f\r\u001b\u001f \"\\/""#)
    }

    @Test(arguments: [
        0.0, -0.0, 1, -1, 2.5, 0.1, 0.7, 1.0 / 3, 1e15, 1e16, 1e20, -1e300, 1e-7, .leastNonzeroMagnitude, 123_456_789_012_345,
        9_007_199_254_740_992, 999_999_999_999_999, .greatestFiniteMagnitude, -.leastNormalMagnitude,
    ])
    func doublesAreWrittenAsJSONEncoderWritesThem(_ value: Double) throws {
        var json = JSONBytes()
        json.double(value)
        #expect(json.bytes == (try Self.encoded(value)), "\(value)")
        #expect(!json.wroteNonFiniteNumber)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteDoublesAreNullAndNoted(_ value: Double) {
        var json = JSONBytes()
        json.array { json in
            json.int(1)
            json.double(value)
        }
        #expect(json.bytes == Array("[1,null]".utf8))
        #expect(json.wroteNonFiniteNumber)
    }

    @Test(arguments: [0, 1, -1, 42, Int.max, Int.min])
    func integersAreWrittenAsJSONEncoderWritesThem(_ value: Int) throws {
        var json = JSONBytes()
        json.int(value)
        #expect(json.bytes == (try Self.encoded(value)))
        var wide = JSONBytes()
        Int64(value).write(to: &wide)
        #expect(wide.bytes == (try Self.encoded(Int64(value))))
    }

    /// Keys that sort differently by bytes, by characters and ignoring case.
    static let keys = [
        "b", "a", "B", "A", "_", "aa", "a_b", "ab", "a b", "10", "9", "é", "e", "f", "日", "😀", "", "quote\"key", "back\\slash",
        "tab\tkey", "longhaul_job_id", "longhaul_attempt", "job", "job_id",
    ]

    @Test func sortedObjectsAreInJSONEncoderSortedKeysOrder() throws {
        let members = Dictionary(uniqueKeysWithValues: Self.keys.enumerated().map { ($1, "v\($0)\n") })
        var json = JSONBytes()
        json.object(sortingKeysOf: members)
        #expect(json.bytes == (try Self.encoded(members, sortedKeys: true)))
        var empty = JSONBytes()
        empty.object(sortingKeysOf: [String: Int]())
        #expect(empty.bytes == Array("{}".utf8))
    }

    @Test func containersSeparateMembersAndElements() {
        var json = JSONBytes()
        json.object { json in
            json.member("a", 1)
            json.memberIfPresent("skipped", String?.none)
            json.member("b", String?.none)
            json.arrayMember("c") { json in
                json.array { _ in }
                json.object { _ in }
                json.string("x")
                [true, false].write(to: &json)
            }
            json.emptyArrayMember("d")
            json.objectMember("e") { $0.nullMember("f") }
            json.member(escapedKey: "g\"", 2.5)
            json.key("h")
            json.splice(#"{"spliced": [1, "a"]}"#)
            json.memberIfPresent("i", Int64(-7))
        }
        #expect(
            String(decoding: json.bytes, as: UTF8.self)
                == #"{"a":1,"b":null,"c":[[],{},"x",[true,false]],"d":[],"e":{"f":null},"g\"":2.5,"h":{"spliced": [1, "a"]},"i":-7}"#)
    }
}
