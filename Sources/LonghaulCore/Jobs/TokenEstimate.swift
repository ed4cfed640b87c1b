/// A quick estimate of how many input tokens Mantle will count for a text, used before
/// submission for the tokens-per-minute budget (Mantle admits on input + max_output_tokens).
///
/// About four bytes of Latin text per token; about one token per CJK or kana character.
public enum TokenEstimate {
    public static func inputTokens(_ text: String) -> Int {
        var latinBytes = 0
        var wideCharacters = 0
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x3000...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFF00...0xFFEF, 0x20000...0x2FFFF:
                wideCharacters += 1
            default:
                latinBytes += scalar.utf8.count
            }
        }
        return max(1, (latinBytes + 3) / 4 + wideCharacters)
    }
}
