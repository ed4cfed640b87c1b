/// The few attributes of an opening tag that say whether an element is page chrome.
struct HTMLAttributes {
    var hidden = false
    var ariaHidden = false
    var role: String?
    /// The element's id and class names, lower-cased, one token each.
    var idAndClassTokens: [String] = []

    /// Reads the attributes between a tag's name and its `>` (`input[range]`). Unquoted, single-
    /// and double-quoted values are understood; anything else is skipped byte by byte.
    static func parse(_ input: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> HTMLAttributes {
        var attributes = HTMLAttributes()
        var index = range.lowerBound
        let end = range.upperBound
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C }
        while index < end {
            while index < end, isSpace(input[index]) || input[index] == UInt8(ascii: "/") { index += 1 }
            let nameStart = index
            while index < end, !isSpace(input[index]), input[index] != UInt8(ascii: "="), input[index] != UInt8(ascii: "/") { index += 1 }
            guard index > nameStart else {
                index += 1
                continue
            }
            let name = String(decoding: input[nameStart..<index].map { $0 | 0x20 }, as: UTF8.self)
            while index < end, isSpace(input[index]) { index += 1 }
            var value: String?
            if index < end, input[index] == UInt8(ascii: "=") {
                index += 1
                while index < end, isSpace(input[index]) { index += 1 }
                var valueStart = index
                var valueEnd = index
                if index < end, input[index] == UInt8(ascii: "\"") || input[index] == UInt8(ascii: "'") {
                    let quote = input[index]
                    valueStart = index + 1
                    valueEnd = valueStart
                    while valueEnd < end, input[valueEnd] != quote { valueEnd += 1 }
                    index = min(valueEnd + 1, end)
                } else {
                    while valueEnd < end, !isSpace(input[valueEnd]) { valueEnd += 1 }
                    index = valueEnd
                }
                value = String(decoding: input[valueStart..<valueEnd], as: UTF8.self).lowercased()
            }
            switch name {
            case "hidden": attributes.hidden = true
            case "aria-hidden": attributes.ariaHidden = value == "true"
            case "role": attributes.role = value?.split(separator: " ").first.map(String.init)
            case "id", "class":
                attributes.idAndClassTokens += (value ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
            default: break
            }
        }
        return attributes
    }
}
