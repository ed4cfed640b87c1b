import Foundation
import TestSupport
import Testing

@testable import Mantle
@testable import MantleSimulator

/// Mantle's, not the simulator's.
private typealias Value = Mantle.JSONValue

/// Request bodies read for the schema check: `StrictJSON` where it can, to exactly what
/// `JSONDecoder` reads.
@Suite struct JSONValueDecodingTests {
    static let bodies = StrictJSONTests.fastBodies + [
        StrictJSONTests.echoedOddly,
        #"{"document":"Report 1. harbour \"pier\"\n\u00e9","metadata":{"team":"a"},"max_output_tokens":2000,"priority":-3}"#,
        #"[1, -0.0, 1e300, 12345678901234567890, 0.1, true, false, null, "", {}, []]"#,
    ]

    private static func decoded(_ data: Data) -> Value? { try? JSONDecoder().decode(Value.self, from: data) }

    @Test("every body reads strictly, to JSONDecoder's value", arguments: bodies)
    func sameValue(_ body: String) throws {
        let data = Data(body.utf8)
        let strict = try #require(Value.strictly(data))
        #expect(strict == Self.decoded(data))
    }

    @Test("what could differ is left to JSONDecoder", arguments: [
        #"{"n": 1e400}"#, #"{"a": 1, "a": 2}"#, #"{"k\u0065y": 1}"#, #"{"a": 1,}"#, "01", #""\x""#,
    ])
    func leftToJSONDecoder(_ body: String) {
        let data = Data(body.utf8)
        #expect(Value.strictly(data) == nil)
        #expect(Value.decoding(data) == Self.decoded(data))
    }

    /// Bytes deleted, doubled or replaced all over every body: whenever the strict reader reads
    /// one, `JSONDecoder` reads the same.
    @Test func mutationsNeverReadDifferently() {
        var strictReads = 0
        var random = SeededGenerator(seed: 29)
        for mutated in ByteMutations.of(Self.bodies, perBody: 300, using: &random) {
            let data = Data(mutated)
            guard let strict = Value.strictly(data) else { continue }
            strictReads += 1
            #expect(strict == Self.decoded(data), "\(String(decoding: mutated, as: UTF8.self))")
        }
        #expect(strictReads > 1_000)
    }
}
