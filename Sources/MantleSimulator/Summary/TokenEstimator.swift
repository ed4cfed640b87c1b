/// Counts tokens the way a BPE tokenizer roughly does: about one per 4 bytes of Latin text and
/// one per CJK character, so counts grow with the text in both scripts.
enum TokenEstimator {
    static func tokens(in text: String) -> Int {
        // Over the UTF-8 bytes, decoding only the lead bytes of 3 and 4 (no CJK scalar is shorter):
        // the same count as over `unicodeScalars`, which decoded every scalar (three passes over
        // each create's text, `SummaryTests` holds the two to the same counts).
        var text = text
        return text.withUTF8 { utf8 in
            guard let base = utf8.baseAddress else { return 0 }
            var cjk = 0
            var otherBytes = 0
            var index = 0
            while index < utf8.count {
                // Eight ASCII bytes at a time where they are (no byte with its top bit set).
                while index + 8 <= utf8.count,
                    UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
                {
                    otherBytes += 8
                    index += 8
                }
                guard index < utf8.count else { break }
                let lead = utf8[index]
                if lead < 0xE0 {
                    // ASCII, or the lead of two bytes (up to U+07FF); continuation bytes never lead.
                    let width = lead < 0x80 ? 1 : 2
                    otherBytes += width
                    index += width
                    continue
                }
                let width = lead < 0xF0 ? 3 : 4
                var value = UInt32(lead) & (width == 3 ? 0x0F : 0x07)
                for next in utf8[(index + 1)..<(index + width)] { value = value << 6 | UInt32(next & 0x3F) }
                if isCJK(value: value) { cjk += 1 } else { otherBytes += width }
                index += width
            }
            return cjk + (otherBytes + 3) / 4
        }
    }

    /// Han, kana, Hangul and the full-width forms and punctuation that go with them.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool { isCJK(value: scalar.value) }

    private static func isCJK(value: UInt32) -> Bool {
        switch value {
        case 0x3000...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFF00...0xFFEF,
            0x20000...0x2FA1F:
            true
        default:
            false
        }
    }

    /// The longest prefix of `text` that fits in `budget` tokens (for a truncated, `incomplete` answer).
    static func prefix(of text: String, fittingIn budget: Int) -> String {
        guard budget > 0 else { return "" }
        var cjk = 0
        var otherBytes = 0
        var end = text.startIndex
        for index in text.indices {
            for scalar in text[index].unicodeScalars {
                if isCJK(scalar) { cjk += 1 } else { otherBytes += UTF8.width(scalar) }
            }
            if cjk + (otherBytes + 3) / 4 > budget { break }
            end = text.index(after: index)
        }
        return String(text[..<end])
    }
}
