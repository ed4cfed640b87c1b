/// Splits text into sentences on `.`, `!`, `?` (followed by a space or the end), on `。！？`
/// (anywhere), and at paragraph breaks. A terminator inside quotes or brackets ends nothing;
/// one right before a closing quote ends the sentence only if the text after it starts anew
/// ("Yes!" she said / 「雨？」と彼は言った stay one sentence).
enum SentenceSplitter {
    private static let fullStops: Set<Character> = ["。", "！", "？"]
    private static let latinStops: Set<Character> = [".", "!", "?"]
    private static let openers: Set<Character> = ["「", "『", "（", "(", "“", "‘", "["]
    private static let closers: Set<Character> = ["」", "』", "）", ")", "”", "’", "]"]

    static func sentences(in text: String) -> [String] {
        // Most documents are plain ASCII, where every byte is one Character (but CR LF, one
        // Character of two bytes, hence CR is left to the general path): the byte loop gives the
        // same sentences without grapheme breaking, which was a third of the simulator's summary
        // time in bench/pipeline.sh. `SummaryTests` checks that both paths agree.
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\r") }) { return asciiSentences(in: text) }
        return sentencesOfAnyText(in: text)
    }

    static func sentencesOfAnyText(in text: String) -> [String] {
        let chars = Array(text)
        var sentences: [String] = []
        var current = ""
        var depth = 0
        var insideStraightQuote = false
        func finish() {
            let trimmed = current.trimmingWhitespace()
            if !trimmed.isEmpty { sentences.append(trimmed) }
            current = ""
            depth = 0
            insideStraightQuote = false
        }
        var i = 0
        while i < chars.count {
            let ch = chars[i]
            defer { i += 1 }
            if ch.isNewline {
                if i + 1 < chars.count, chars[i + 1].isNewline {
                    finish()
                    while i + 1 < chars.count, chars[i + 1].isNewline { i += 1 }
                } else {
                    current.append(" ")
                }
                continue
            }
            current.append(ch)
            var closesAfterStop = false
            if openers.contains(ch) {
                depth += 1
                continue
            } else if closers.contains(ch) || (ch == "\"" && insideStraightQuote) {
                if ch == "\"" { insideStraightQuote = false }
                depth = max(0, depth - 1)
                closesAfterStop = i > 0 && (fullStops.contains(chars[i - 1]) || latinStops.contains(chars[i - 1]))
                if !closesAfterStop { continue }
            } else if ch == "\"" {
                insideStraightQuote = true
                depth += 1
                continue
            } else if !fullStops.contains(ch) && !latinStops.contains(ch) {
                continue
            }
            // `ch` is a terminator, or a closing quote right after one.
            guard depth == 0 else { continue }
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if let next, closers.contains(next) || next == "\"" { continue }  // the closer decides
            let stop = closesAfterStop ? chars[i - 1] : ch
            if fullStops.contains(stop) {
                // Quoted speech followed by a particle (と, って) continues the sentence.
                if closesAfterStop, let next, next.unicodeScalars.first.map({ (0x3040...0x309F).contains($0.value) }) == true {
                    continue
                }
                finish()
            } else {
                guard let next else { continue }  // the end of the text finishes anyway
                guard next.isWhitespace else { continue }  // "3.14", "e.g.x"
                if closesAfterStop {
                    // "Yes!" she said: a lower-case word after the quote continues the sentence.
                    let following = chars[(i + 1)...].first { !$0.isWhitespace }
                    if let following, following.isLowercase { continue }
                }
                finish()
            }
        }
        finish()
        return sentences
    }
}

extension SentenceSplitter {
    /// ``sentences(in:)`` for ASCII text without CR, byte for byte the same rules (no `。！？` or
    /// `「」` in ASCII, so only `.!?`, `()[]` and the straight quote matter).
    static func asciiSentences(in text: String) -> [String] {
        let chars = Array(text.utf8)
        var sentences: [String] = []
        var current: [UInt8] = []
        current.reserveCapacity(256)
        var depth = 0
        var insideStraightQuote = false
        func finish() {
            if let first = current.firstIndex(where: { !isWhitespace($0) }),
                let last = current.lastIndex(where: { !isWhitespace($0) })
            {
                sentences.append(String(decoding: current[first...last], as: UTF8.self))
            }
            current.removeAll(keepingCapacity: true)
            depth = 0
            insideStraightQuote = false
        }
        let quote = UInt8(ascii: "\"")
        var i = 0
        while i < chars.count {
            let ch = chars[i]
            defer { i += 1 }
            if isNewline(ch) {
                if i + 1 < chars.count, isNewline(chars[i + 1]) {
                    finish()
                    while i + 1 < chars.count, isNewline(chars[i + 1]) { i += 1 }
                } else {
                    current.append(UInt8(ascii: " "))
                }
                continue
            }
            current.append(ch)
            var closesAfterStop = false
            if isOpener(ch) {
                depth += 1
                continue
            } else if isCloser(ch) || (ch == quote && insideStraightQuote) {
                if ch == quote { insideStraightQuote = false }
                depth = max(0, depth - 1)
                closesAfterStop = i > 0 && isStop(chars[i - 1])
                if !closesAfterStop { continue }
            } else if ch == quote {
                insideStraightQuote = true
                depth += 1
                continue
            } else if !isStop(ch) {
                continue
            }
            guard depth == 0 else { continue }
            guard i + 1 < chars.count else { continue }  // the end of the text finishes anyway
            let next = chars[i + 1]
            if isCloser(next) || next == quote { continue }  // the closer decides
            guard isWhitespace(next) else { continue }  // "3.14", "e.g.x"
            if closesAfterStop {
                // "Yes!" she said: a lower-case word after the quote continues the sentence.
                let following = chars[(i + 1)...].first { !isWhitespace($0) }
                if let following, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(following) { continue }
            }
            finish()
        }
        finish()
        return sentences
    }

    /// `Character.isNewline` for an ASCII byte other than CR.
    private static func isNewline(_ byte: UInt8) -> Bool { (0x0A...0x0C).contains(byte) }
    /// `Character.isWhitespace` for an ASCII byte: tab to CR, and space.
    private static func isWhitespace(_ byte: UInt8) -> Bool { (0x09...0x0D).contains(byte) || byte == 0x20 }
    private static func isOpener(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "(") || byte == UInt8(ascii: "[") }
    private static func isCloser(_ byte: UInt8) -> Bool { byte == UInt8(ascii: ")") || byte == UInt8(ascii: "]") }
    private static func isStop(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ".") || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?")
    }
}

extension String {
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
