/// A quick estimate of how many input tokens Mantle will count for a text, used before
/// submission for the tokens-per-minute budget (Mantle admits on input + max_output_tokens).
///
/// About four bytes of Latin text per token; about one token per CJK or kana character.
public enum TokenEstimate {
    public static func inputTokens(_ text: String) -> Int {
        // Read as UTF-8 bytes, not as scalars: every enqueue estimates its whole document, and
        // decoding a 2 KB document scalar by scalar was 1.4 % of the API server's CPU.
        var text = text
        let (latinBytes, wideCharacters) = text.withUTF8(count)
        return max(1, (latinBytes + 3) / 4 + wideCharacters)
    }

    /// Bytes of Latin-like text, and characters of the wide scripts (CJK, kana, Hangul, full-width
    /// forms), in valid UTF-8 — which a `String`'s bytes always are.
    private static func count(_ bytes: UnsafeBufferPointer<UInt8>) -> (latinBytes: Int, wideCharacters: Int) {
        var latinBytes = 0, wideCharacters = 0
        guard let base = bytes.baseAddress else { return (0, 0) }
        var index = 0
        while index < bytes.count {
            // Eight bytes at a time while they are ASCII, as most of most documents is: a byte at a
            // time, the estimate was 2.7 % of the API server's CPU per 2 KB enqueue and 14 % of
            // its CPU under `POST /v1/batches` (`perf` under `bench/api.sh`).
            if index + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    latinBytes += 8
                    index += 8
                    continue
                }
            }
            let lead = bytes[index]
            switch lead {
            case ..<0xE0:  // one byte (ASCII) or two (up to U+07FF): never wide
                let length = lead < 0x80 ? 1 : 2
                latinBytes += length
                index += length
            case ..<0xF0:  // three bytes: U+0800–U+FFFF
                let scalar = UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
                switch scalar {
                case 0x3000...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFF00...0xFFEF: wideCharacters += 1
                default: latinBytes += 3
                }
                index += 3
            default:  // four bytes: U+10000 and up. One token each, wide (CJK Extension B+) or not: four
                // Latin bytes are a token too.
                latinBytes += 4
                index += 4
            }
        }
        return (latinBytes, wideCharacters)
    }
}
