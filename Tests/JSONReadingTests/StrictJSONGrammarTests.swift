import Testing

@testable import JSONReading

/// The reader's own rules; the readers built on it are held to `JSONDecoder` in their modules'
/// tests (`StrictJSONTests` for Responses, `CreateRequestReadingTests` for the simulator's create).
@Suite struct StrictJSONGrammarTests {
    @Test func escapesAreUnescapedOrRefused() {
        #expect(StrictJSON.unescape(Array(#"a\"b\\c\/d\n\u00e9\ud83c\udf89"#.utf8)[...]) == "a\"b\\c/d\né🎉")
        #expect(StrictJSON.unescape(Array(#"\ud83c"#.utf8)[...]) == nil)  // a lone high surrogate
        #expect(StrictJSON.unescape(Array(#"\udf89"#.utf8)[...]) == nil)  // a lone low surrogate
        #expect(StrictJSON.unescape(Array(#"\x"#.utf8)[...]) == nil)
    }

    /// `JSONDecoder` reads some of these (a trailing comma, `01`, a raw control character); the
    /// strict reader reads none of them.
    @Test(arguments: [
        #"{"a":1} x"#, #"{"a":1,}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":-}"#, #"{"a":tru}"#, #"{"a":"\u12"}"#,
        "{\"a\":\"x\u{01}y\"}", #"{"a":1,"a":2}"#, #"{"\u0061":1}"#, "", " ",
    ])
    func notStrictJSON(_ text: String) {
        #expect(StrictJSON(bytes: Array(text.utf8)) == nil)
    }

    @Test func invalidUTF8AndDepthAreRefused() {
        #expect(StrictJSON(bytes: Array(#"{"a":"x"#.utf8) + [0xFF] + Array(#""}"#.utf8)) == nil)
        #expect(StrictJSON(bytes: Array((String(repeating: "[", count: 64) + String(repeating: "]", count: 64)).utf8)) != nil)
        #expect(StrictJSON(bytes: Array((String(repeating: "[", count: 100) + String(repeating: "]", count: 100)).utf8)) == nil)
    }

    /// Free-form values as a `JSONValueCases` type decodes them; a number past `Double` is refused.
    @Test func anyValueReadsEveryKind() throws {
        let json = try #require(StrictJSON(bytes: Array(#"{"a":[null,true,-2.5e1,"s",{}],"b":1e400}"#.utf8)))
        let a: Tree = try json.anyValue(#require(try json.member("a", of: json.root)))
        #expect(a == .array([.null, .bool(true), .number(-25), .string("s"), .object([:])]))
        #expect(throws: StrictJSON.Unexpected.self) { let _: Tree = try json.anyValue(#require(try json.member("b", of: json.root))) }
        #expect(try json.optionalAnyValue(.null) as Tree? == nil)
    }

    enum Tree: JSONValueCases, Equatable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([Tree])
        case object([String: Tree])
    }
}
