/// Reduces an HTML page to the text a reader would see: its content, without the page's chrome
/// (`HTMLContentFilter` decides which is which), headings marked as Markdown headings (`## …`)
/// so that chunking can cut at them.
///
/// A single forward pass over the UTF-8 bytes, with a handful of counters and no stack: tags and
/// comments are dropped, `<script>`, `<style>` and `<template>` are dropped with their content,
/// block elements become line breaks (a blank line after paragraphs, headings, lists and tables),
/// table cells are separated by tabs,
/// whitespace collapses as a browser collapses it (except inside `<pre>`), and character
/// references are decoded. Every search resumes where the last one stopped, so the time is linear
/// in the page whatever its nesting, and there is no regex to backtrack.
enum HTMLTextExtractor {
    private static let lessThan = UInt8(ascii: "<"), greaterThan = UInt8(ascii: ">")
    private static let slash = UInt8(ascii: "/"), ampersand = UInt8(ascii: "&")

    static func extract(_ html: String) -> String {
        var html = html
        return html.withUTF8 { String(decoding: extract(bytes: $0), as: UTF8.self) }
    }

    private static func extract(bytes input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let region = contentRegion(input)
        let text = extract(bytes: input, region: region)
        // `<main` in a script or a comment can mislead the look-ahead: a region that holds no
        // text means there was none, and the whole page is read instead.
        if region != .wholePage, !text.contains(where: { $0 > 0x20 }) {
            return extract(bytes: input, region: .wholePage)
        }
        return text
    }

    /// `<main>` if the page has one, else `<article>` if it has one, else the whole page.
    private static func contentRegion(_ input: UnsafeBufferPointer<UInt8>) -> HTMLContentFilter.Region {
        var hasArticle = false
        var index = 0
        while let open = input[index...].firstIndex(of: lessThan) {
            if startsTag(input, at: open, named: "<main") { return .main }
            if !hasArticle, startsTag(input, at: open, named: "<article") { hasArticle = true }
            index = open + 1
        }
        return hasArticle ? .articles : .wholePage
    }

    private static func startsTag(_ input: UnsafeBufferPointer<UInt8>, at start: Int, named prefix: StaticString) -> Bool {
        let after = start + prefix.utf8CodeUnitCount
        return starts(input, at: start, with: prefix) && (after == input.count || !isNameByte(input[after]))
    }

    private static func extract(bytes input: UnsafeBufferPointer<UInt8>, region: HTMLContentFilter.Region) -> [UInt8] {
        var output = TextOutput(capacity: input.count / 2, filter: HTMLContentFilter(region: region))
        var index = 0
        let end = input.count
        while index < end {
            let byte = input[index]
            if byte == lessThan {
                if let next = markup(input, at: index, into: &output) {
                    index = next
                    continue
                }
                output.append(byte)
                index += 1
            } else if byte == ampersand, let (character, length) = CharacterEntities.decode(input, at: index) {
                for decoded in character { output.appendText(decoded) }
                index += length
            } else {
                output.appendText(byte)
                index += 1
            }
        }
        return output.bytes
    }

    /// Handles the markup starting at `input[start]` (a `<`) and returns the index after it, or
    /// `nil` when the `<` does not start markup and is plain text.
    private static func markup(_ input: UnsafeBufferPointer<UInt8>, at start: Int, into output: inout TextOutput) -> Int? {
        let end = input.count
        guard start + 1 < end else { return nil }
        let second = input[start + 1]
        if second == UInt8(ascii: "!") {
            if starts(input, at: start, with: "<!--") {
                return find(input, "-->", from: start + 4).map { $0 + 3 } ?? end
            }
            if starts(input, at: start, with: "<![CDATA[") {
                let close = find(input, "]]>", from: start + 9) ?? end
                for byte in input[(start + 9)..<close] { output.appendText(byte) }
                return min(close + 3, end)
            }
            return (find(input, ">", from: start + 2) ?? end - 1) + 1  // <!DOCTYPE …>
        }
        if second == UInt8(ascii: "?") {
            return (find(input, ">", from: start + 2) ?? end - 1) + 1
        }
        let closing = second == slash
        let nameStart = start + (closing ? 2 : 1)
        guard nameStart < end, isASCIILetter(input[nameStart]) else { return nil }
        var nameEnd = nameStart
        while nameEnd < end, isNameByte(input[nameEnd]) { nameEnd += 1 }
        let tagEnd = endOfTag(input, from: nameEnd)
        let selfClosing = tagEnd > nameEnd && input[tagEnd - 1] == slash
        let name = lowercasedName(input, nameStart..<nameEnd)
        let after = min(tagEnd + 1, end)

        if !closing && !selfClosing && (name == "script" || name == "style" || name == "template") {
            return endOfRawText(input, name: name, from: after)
        }
        let isContent =
            closing
            ? output.filter.close(name)
            : output.filter.open(name, selfClosing: selfClosing) { HTMLAttributes.parse(input, nameEnd..<max(nameEnd, tagEnd)) }
        guard isContent else { return after }
        switch name {
        case "h1", "h2", "h3", "h4", "h5", "h6":
            output.lineBreak(count: 2)
            if !closing, let level = name.last?.wholeNumberValue {
                for byte in Array(repeating: UInt8(ascii: "#"), count: level) + [0x20] { output.append(byte) }
            }
        case "br":
            output.lineBreak(count: 1)
        case "pre":
            output.preformattedDepth = max(0, output.preformattedDepth + (closing ? -1 : 1))
            output.lineBreak(count: 2)
        case "td", "th":
            if !closing { output.cellBreak() }
        default:
            if let lines = blockLineBreaks[name] { output.lineBreak(count: lines) }
        }
        return after
    }

    /// Block elements and how many line breaks they make: two leaves a blank line.
    private static let blockLineBreaks: [String: Int] = [
        "p": 2, "blockquote": 2, "ul": 2,
        "ol": 2, "dl": 2, "table": 2, "section": 2, "article": 2, "header": 2, "footer": 2,
        "nav": 2, "aside": 2, "main": 2, "figure": 2, "form": 2, "hr": 2, "address": 2,
        "fieldset": 2, "details": 2, "body": 2, "title": 2,
        "div": 1, "li": 1, "tr": 1, "dt": 1, "dd": 1, "caption": 1, "figcaption": 1, "summary": 1,
        "option": 1, "legend": 1, "thead": 1, "tbody": 1, "tfoot": 1,
    ]

    /// The index of the `>` that ends a tag, skipping quoted attribute values, or the last index.
    private static func endOfTag(_ input: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var quote: UInt8 = 0
        var index = start
        while index < input.count {
            let byte = input[index]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == greaterThan {
                return index
            }
            index += 1
        }
        return input.count - 1
    }

    /// Where raw text (a script's or style's content) ends: after `</name` and its `>`.
    private static func endOfRawText(_ input: UnsafeBufferPointer<UInt8>, name: String, from start: Int) -> Int {
        let closeTag = Array("</\(name)".utf8)
        var index = start
        while let candidate = find(input, "</", from: index) {
            let afterName = candidate + closeTag.count
            if afterName <= input.count,
                zip(input[candidate..<afterName], closeTag).allSatisfy({ ($0 | 0x20) == ($1 | 0x20) }),
                afterName == input.count || !isNameByte(input[afterName])
            {
                return min(endOfTag(input, from: afterName) + 1, input.count)
            }
            index = candidate + 2
        }
        return input.count
    }

    /// The first index at or after `start` where `needle` occurs.
    private static func find(_ input: UnsafeBufferPointer<UInt8>, _ needle: StaticString, from start: Int) -> Int? {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard let first = pattern.first, start < input.count else { return nil }
        var index = start
        while index + pattern.count <= input.count {
            guard let hit = input[index...].firstIndex(of: first), hit + pattern.count <= input.count else { return nil }
            if input[hit..<(hit + pattern.count)].elementsEqual(pattern) { return hit }
            index = hit + 1
        }
        return nil
    }

    private static func starts(_ input: UnsafeBufferPointer<UInt8>, at start: Int, with prefix: StaticString) -> Bool {
        let pattern = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        guard start + pattern.count <= input.count else { return false }
        return zip(input[start..<(start + pattern.count)], pattern).allSatisfy { ($0 | 0x20) == ($1 | 0x20) }
    }

    private static func lowercasedName(_ input: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        // Only short names can be known elements; longer ones need not be copied.
        guard range.count <= 10 else { return "" }
        return String(decoding: input[range].map { isASCIILetter($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        isASCIILetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "_")
    }
}

/// The text being built, with browser-like whitespace handling.
private struct TextOutput {
    var bytes: [UInt8] = []
    /// How many `<pre>` elements are open: inside one, whitespace is kept as written.
    var preformattedDepth = 0
    /// Whether the pass is in the page's content: outside it, nothing is written.
    var filter: HTMLContentFilter

    init(capacity: Int, filter: HTMLContentFilter) {
        bytes.reserveCapacity(capacity)
        self.filter = filter
    }

    mutating func append(_ byte: UInt8) {
        guard filter.isEmitting else { return }
        bytes.append(byte)
    }

    /// Appends text, collapsing a run of whitespace to one space outside `<pre>`; no space at the
    /// start of a line.
    mutating func appendText(_ byte: UInt8) {
        guard filter.isEmitting else { return }
        let isWhitespace = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
        guard isWhitespace, preformattedDepth == 0 else {
            bytes.append(byte)
            return
        }
        guard let last = bytes.last, last != 0x20, last != 0x0A else { return }
        bytes.append(0x20)
    }

    /// Separates table cells with a tab, so that columns stay apart; none before a row's first cell.
    mutating func cellBreak() {
        guard filter.isEmitting else { return }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        guard let last = bytes.last, last != 0x0A else { return }
        bytes.append(0x09)
    }

    /// Ends the current line, leaving up to `count` line breaks in a row.
    mutating func lineBreak(count: Int) {
        guard filter.isEmitting else { return }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes.removeLast() }
        guard !bytes.isEmpty else { return }
        var trailing = 0
        for byte in bytes.reversed() {
            guard byte == 0x0A, trailing < count else { break }
            trailing += 1
        }
        bytes.append(contentsOf: repeatElement(0x0A, count: max(0, count - trailing)))
    }
}
