/// Counts tokens the way a BPE tokenizer roughly does: about one per 4 bytes of Latin text and
/// one per CJK character, so counts grow with the text in both scripts.
enum TokenEstimator {
    static func tokens(in text: String) -> Int {
        var cjk = 0
        var otherBytes = 0
        for scalar in text.unicodeScalars {
            if isCJK(scalar) {
                cjk += 1
            } else {
                otherBytes += UTF8.width(scalar)
            }
        }
        return cjk + (otherBytes + 3) / 4
    }

    /// Han, kana, Hangul and the full-width forms and punctuation that go with them.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
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
