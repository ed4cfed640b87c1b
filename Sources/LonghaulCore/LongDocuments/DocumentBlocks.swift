/// A document read as its own structure: headings, paragraphs and — inside paragraphs too long
/// for one chunk — sentences, each with where a cut before it would fall.
struct DocumentBlock: Equatable {
    enum Kind: Equatable {
        /// A heading at `level` (1 = outermost) with its title.
        case heading(level: Int, title: String)
        case paragraph
        /// A sentence that continues the paragraph before it.
        case sentence
        /// A piece of a sentence too long for one chunk.
        case fragment
    }

    var kind: Kind
    /// UTF-8 offsets in the document.
    var range: Range<Int>
    /// How good a place the start of this block is to cut: headings (outer ones best), then
    /// paragraphs, then sentences, then anywhere.
    var cutQuality: Int {
        switch kind {
        case .heading(let level, _): 10 - level
        case .paragraph: 2
        case .sentence: 1
        case .fragment: 0
        }
    }
}

/// Splits text into blocks: Markdown ATX headings (`## Title`, which HTML extraction writes too),
/// setext and reStructuredText underlined titles, paragraphs at blank lines.
enum DocumentBlocks {
    static func parse(_ text: String) -> [DocumentBlock] {
        let bytes = Array(text.utf8)
        var blocks: [DocumentBlock] = []
        var underlineLevels: [UInt8] = []
        var lineStart = 0
        var paragraphStart: Int?
        var paragraphLines: [Range<Int>] = []

        func closeParagraph() {
            guard let start = paragraphStart, let last = paragraphLines.last else { return }
            blocks.append(DocumentBlock(kind: .paragraph, range: start..<last.upperBound))
            paragraphStart = nil
            paragraphLines = []
        }

        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let line = lineStart..<lineEnd
            if isBlank(bytes, line) {
                closeParagraph()
            } else if let (level, title) = atxHeading(bytes, line) {
                closeParagraph()
                blocks.append(DocumentBlock(kind: .heading(level: level, title: title), range: line))
            } else if paragraphLines.count == 1, let first = paragraphLines.first, let mark = underline(bytes, line, under: first) {
                // A one-line paragraph underlined: a setext or reStructuredText title. Levels follow
                // the order in which underline characters first appear, as reStructuredText defines them.
                if !underlineLevels.contains(mark) { underlineLevels.append(mark) }
                let level = min(6, (underlineLevels.firstIndex(of: mark) ?? 0) + 1)
                let title = String(decoding: bytes[first], as: UTF8.self).trimmingSpaces
                blocks.append(DocumentBlock(kind: .heading(level: level, title: title), range: first.lowerBound..<line.upperBound))
                paragraphStart = nil
                paragraphLines = []
            } else {
                if paragraphStart == nil { paragraphStart = lineStart }
                paragraphLines.append(line)
            }
            lineStart = lineEnd + 1
        }
        closeParagraph()
        return blocks
    }

    private static func isBlank(_ bytes: [UInt8], _ line: Range<Int>) -> Bool {
        bytes[line].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }

    /// `#` to `######`, a space, and a title.
    private static func atxHeading(_ bytes: [UInt8], _ line: Range<Int>) -> (Int, String)? {
        var index = line.lowerBound
        while index < line.upperBound, bytes[index] == UInt8(ascii: "#") { index += 1 }
        let level = index - line.lowerBound
        guard (1...6).contains(level), index < line.upperBound, bytes[index] == 0x20 else { return nil }
        let title = String(decoding: bytes[index..<line.upperBound], as: UTF8.self).trimmingSpaces
        guard !title.isEmpty else { return nil }
        return (level, title)
    }

    /// The underline character when `line` is three or more of one of `= - ~ ^ * + #` and at
    /// least as long as the title above it (reStructuredText's rule; Markdown accepts shorter).
    private static func underline(_ bytes: [UInt8], _ line: Range<Int>, under title: Range<Int>) -> UInt8? {
        let trimmed = bytes[line].filter { $0 != 0x20 && $0 != 0x0D }
        guard let mark = trimmed.first, Array("=-~^*+#".utf8).contains(mark), trimmed.count >= 3,
            trimmed.allSatisfy({ $0 == mark })
        else { return nil }
        let titleLength = String(decoding: bytes[title], as: UTF8.self).trimmingSpaces.count
        guard titleLength > 0, titleLength <= 200, mark == UInt8(ascii: "=") || mark == UInt8(ascii: "-") || trimmed.count >= titleLength else {
            return nil
        }
        return mark
    }

    /// The sentences of `bytes[range]`: cut after `.`, `!`, `?` followed by a space or a line
    /// break, and after `。`, `！`, `？`.
    static func sentences(_ bytes: [UInt8], in range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            var end: Int?
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?") {
                if index + 1 < range.upperBound, bytes[index + 1] == 0x20 || bytes[index + 1] == 0x0A { end = index + 1 }
            } else if byte == 0xE3 || byte == 0xEF, index + 3 <= range.upperBound,
                fullStops.contains(where: { $0.elementsEqual(bytes[index..<(index + 3)]) })
            {
                end = index + 3
            }
            guard let end else {
                index += 1
                continue
            }
            result.append(start..<end)
            var next = end
            while next < range.upperBound, bytes[next] == 0x20 || bytes[next] == 0x0A { next += 1 }
            start = next
            index = next
        }
        if start < range.upperBound { result.append(start..<range.upperBound) }
        return result
    }

    /// `。`, `！`, `？` in UTF-8.
    private static let fullStops: [[UInt8]] = [Array("。".utf8), Array("！".utf8), Array("？".utf8)]
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" || first == "\r" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars.removeLast() }
        return String(scalars)
    }
}
