/// How outside text becomes safe HTML text: the five characters that end text or a quoted
/// attribute become entities, and characters that could disguise text are made visible.
enum HTMLEscaping {
    /// `text` as HTML text, also safe inside a double- or single-quoted attribute value.
    ///
    /// Bidirectional overrides and isolates (U+202A–202E, U+2066–2069) are shown as `[U+202E]`:
    /// left raw, they reorder what a person reads (a file named `cod\u{202E}fdp.exe` shows as
    /// `codexe.pdf`, CVE-2021-42574's trick). Other control characters but tab and newline
    /// become U+FFFD, since HTML has no way to show them.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}":
                out += "[U+" + String(scalar.value, radix: 16, uppercase: true) + "]"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// At most `limit` characters of `text`, with an ellipsis when cut (for table cells; the
    /// page of the thing shows it whole).
    static func shortened(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
