/// Reads the text out of a DOCX file's `word/document.xml`.
///
/// WordprocessingML keeps visible text only in `<w:t>` elements, so those are the only text
/// nodes kept: deleted text (`<w:delText>`), field codes (`<w:instrText>`) and properties are not
/// text. Each paragraph `</w:p>` ends a line, `<w:tab/>` is a tab (except the tab stops declared
/// inside `<w:tabs>`), `<w:br/>` and `<w:cr/>` break the line. Elements are matched by local
/// name, so a document that binds the namespace to another prefix reads the same. One forward
/// pass, no stack.
enum WordDocumentTextExtractor {
    static func extract(_ xml: [UInt8]) -> String {
        xml.withUnsafeBufferPointer { String(decoding: extract(bytes: $0), as: UTF8.self) }
    }

    private static func extract(bytes input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4)
        var inText = false
        var tabStopsDepth = 0
        var index = 0
        let end = input.count
        while index < end {
            let byte = input[index]
            if byte == UInt8(ascii: "<") {
                let tag = parseTag(input, at: index)
                index = tag.next
                switch tag.localName {
                case "t":
                    inText = !tag.closing && !tag.selfClosing
                case "p":
                    if tag.closing || tag.selfClosing { output.append(0x0A) }
                case "tab":
                    if !tag.closing && tabStopsDepth == 0 { output.append(0x09) }
                case "tabs":
                    if !tag.selfClosing { tabStopsDepth = max(0, tabStopsDepth + (tag.closing ? -1 : 1)) }
                case "br", "cr":
                    if !tag.closing { output.append(0x0A) }
                default:
                    break
                }
            } else if inText {
                if byte == UInt8(ascii: "&"), let (character, length) = CharacterEntities.decode(input, at: index) {
                    output.append(contentsOf: character)
                    index += length
                } else {
                    output.append(byte)
                    index += 1
                }
            } else {
                index += 1
            }
        }
        return output
    }

    private struct Tag {
        var localName = ""
        var closing = false
        var selfClosing = false
        var next: Int
    }

    /// Reads the markup at `start` (a `<`): a tag, or a comment / declaration / processing
    /// instruction, which has no name and is skipped whole.
    private static func parseTag(_ input: UnsafeBufferPointer<UInt8>, at start: Int) -> Tag {
        let end = input.count
        if start + 3 < end, input[start + 1] == UInt8(ascii: "!"), input[start + 2] == UInt8(ascii: "-"),
            input[start + 3] == UInt8(ascii: "-")
        {
            var index = start + 4
            while index + 2 < end {
                if input[index] == UInt8(ascii: "-"), input[index + 1] == UInt8(ascii: "-"),
                    input[index + 2] == UInt8(ascii: ">")
                {
                    return Tag(next: index + 3)
                }
                index += 1
            }
            return Tag(next: end)
        }
        var tag = Tag(next: end)
        var index = start + 1
        if index < end, input[index] == UInt8(ascii: "/") {
            tag.closing = true
            index += 1
        }
        let nameStart = index
        var localStart = index
        while index < end {
            let byte = input[index]
            if byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == 0x20 || byte == 0x09
                || byte == 0x0A || byte == 0x0D
            {
                break
            }
            if byte == UInt8(ascii: ":") { localStart = index + 1 }
            index += 1
        }
        if index - localStart <= 8, nameStart < index {
            tag.localName = String(decoding: UnsafeBufferPointer(rebasing: input[localStart..<index]), as: UTF8.self)
        }
        var quote: UInt8 = 0
        while index < end {
            let byte = input[index]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                tag.selfClosing = index > start && input[index - 1] == UInt8(ascii: "/")
                tag.next = index + 1
                return tag
            }
            index += 1
        }
        return tag
    }
}
