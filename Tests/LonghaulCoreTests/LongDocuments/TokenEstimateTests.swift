import LonghaulCore
import Testing

@Suite("The token estimate reads bytes and counts what the scalars say")
struct TokenEstimateTests {
    /// The rule as written over Unicode scalars: four bytes of Latin-like text per token, one
    /// token per character of the wide scripts.
    private func byScalars(_ text: String) -> Int {
        var latinBytes = 0, wideCharacters = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x3000...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFF00...0xFFEF, 0x20000...0x2FFFF: wideCharacters += 1
            default: latinBytes += scalar.utf8.count
            }
        }
        return max(1, (latinBytes + 3) / 4 + wideCharacters)
    }

    @Test("every script and every range edge gives the scalars' answer")
    func sameAsScalars() {
        // Each wide range's first and last scalar and the ones just outside it, and one of each
        // UTF-8 length in between; CJK Extension B (U+20000–U+2FFFF) is wide by the rule and four
        // bytes long, one token either way.
        let edges: [UInt32] = [
            0x41, 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0x2FFF, 0x3000, 0x9FFF, 0xA000, 0xABFF, 0xAC00, 0xD7AF, 0xD7B0,
            0xF8FF, 0xF900, 0xFAFF, 0xFB00, 0xFEFF, 0xFF00, 0xFFEF, 0xFFF0, 0xFFFD, 0x10000, 0x1F44D, 0x1FFFF,
            0x20000, 0x2A6D6, 0x2FFFF, 0x30000, 0x10FFFF,
        ]
        let scalars = edges.compactMap(Unicode.Scalar.init)
        #expect(scalars.count == edges.count)
        for scalar in scalars {
            for text in [String(scalar), "ab" + String(scalar) + "c", String(repeating: String(scalar), count: 7)] {
                #expect(TokenEstimate.inputTokens(text) == byScalars(text), "U+\(String(scalar.value, radix: 16, uppercase: true)) in \(text.debugDescription)")
            }
        }
        // Each at every offset in ASCII around it, so the eight-byte ASCII steps meet it at every
        // alignment, at the end of the text and away from it.
        for scalar in scalars {
            for offset in 0..<17 {
                for text in [String(repeating: "x", count: offset) + String(scalar), String(repeating: "x", count: offset) + String(scalar) + "yyyyyyyyy"] {
                    #expect(TokenEstimate.inputTokens(text) == byScalars(text), "U+\(String(scalar.value, radix: 16)) after \(offset) ASCII bytes")
                }
            }
        }
        let mixed = [
            "", "The harbour lighthouse reopened.", "東京の博物館は月曜日に休館します。", "한국어 문서를 요약합니다", "ｆｕｌｌｗｉｄｔｈ ＡＢＣ",
            "naïve café 👍🏽 e\u{301}", "𠀋𡈽𡌛 Extension B", String(repeating: "Report 12. 東京 👍 ", count: 300),
        ]
        for text in mixed {
            #expect(TokenEstimate.inputTokens(text) == byScalars(text), "\(text.prefix(40).debugDescription)")
        }
    }
}
