/// Tidies extracted text so that every format reaches the model in the same shape.
///
/// Line ends become `\n` (also form feeds, which `pdftotext` puts between pages), trailing spaces
/// and tabs go, runs of blank lines become one blank line, and the whole is trimmed. Indentation
/// inside the text and every non-ASCII character are kept: the pass only acts on ASCII bytes, so
/// multi-byte UTF-8 sequences go through untouched.
enum TextNormalizer {
    static func normalize(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var indentation: [UInt8] = []
        var pendingNewlines = 0
        var lineHasContent = false
        var previous: UInt8 = 0
        for byte in text.utf8 {
            defer { previous = byte }
            switch byte {
            case 0x0A where previous == 0x0D:
                continue  // the second half of a CRLF
            case 0x0A, 0x0D, 0x0B, 0x0C:
                if lineHasContent {
                    while let last = output.last, last == 0x20 || last == 0x09 { output.removeLast() }
                }
                indentation.removeAll(keepingCapacity: true)
                pendingNewlines += 1
                lineHasContent = false
            case 0x20 where !lineHasContent, 0x09 where !lineHasContent:
                indentation.append(byte)
            default:
                if !lineHasContent {
                    if !output.isEmpty {
                        output.append(contentsOf: pendingNewlines > 1 ? [0x0A, 0x0A] : [0x0A])
                        output.append(contentsOf: indentation)
                    }
                    indentation.removeAll(keepingCapacity: true)
                    pendingNewlines = 0
                    lineHasContent = true
                }
                output.append(byte)
            }
        }
        while let last = output.last, last == 0x20 || last == 0x09 { output.removeLast() }
        return String(decoding: output, as: UTF8.self)
    }
}
