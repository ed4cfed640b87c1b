/// How long the instructions ask the summary to be.
enum SummaryLength: Equatable, Sendable {
    case sentences(Int)
    case bullets(Int)
    case words(Int)
    case characters(Int)
    /// Nothing recognisable was asked: about a fifth of the document, 1 to 5 sentences.
    case automatic

    /// "3 sentences", for the reasoning text.
    var phrase: String {
        switch self {
        case .sentences(let n): "\(n) sentences"
        case .bullets(let n): "\(n) bullet points"
        case .words(let n): "at most \(n) words"
        case .characters(let n): "at most \(n) characters"
        case .automatic: "length not specified"
        }
    }

    private static let numberWords: [String: Int] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
        "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
    ]

    /// Reads "in 3 sentences", "5 bullet points", "in 100 words", "3文で", "3つの箇条書き",
    /// "200文字以内" from instructions (best effort; the first match wins).
    init(instructions: String?) {
        guard let instructions, !instructions.isEmpty else {
            self = .automatic
            return
        }
        // ASCII instructions (Longhaul's default among them) are read in place, lower-cased bytes
        // and tokens as ranges of them: the lower-cased copy, a `String` per token and a dictionary
        // look-up per token were 3 % of the simulator's CPU per create (perf, bench/simulator.sh).
        if instructions.utf8.allSatisfy({ $0 < 0x80 }) {
            let lowered = instructions.utf8.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 + 0x20 : $0 }
            self = Self.firstLength(
                in: Self.asciiTokenRanges(lowered), count: { Self.asciiNumber(lowered[$0]) },
                unit: { String(decoding: lowered[$0], as: UTF8.self) })
            return
        }
        self = Self.lengthOfAnyText(instructions)
    }

    /// ``init(instructions:)`` for any text: its lower-cased tokens as `String`s.
    static func lengthOfAnyText(_ instructions: String) -> SummaryLength {
        firstLength(in: tokenize(instructions.lowercased()), count: { Int($0) ?? numberWords[$0] }, unit: { $0 })
    }

    /// The first count (a number, or a number word) followed within a few tokens by a unit: "5
    /// short bullet points", "3つの要点".
    private static func firstLength<Token>(in tokens: [Token], count: (Token) -> Int?, unit: (Token) -> String) -> SummaryLength {
        for (index, token) in tokens.enumerated() {
            guard let count = count(token), count > 0 else { continue }
            for following in tokens.dropFirst(index + 1).prefix(4) {
                if let length = length(count: count, unit: unit(following)) { return length }
            }
        }
        return .automatic
    }

    /// `Int(token) ?? numberWords[token]` for an ASCII token: digits as `Int` reads them (nil past
    /// its range), or one of the English number words.
    private static func asciiNumber(_ token: ArraySlice<UInt8>) -> Int? {
        guard token.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return asciiNumberWords.first { $0.word.elementsEqual(token) }?.value
        }
        var number = 0
        for digit in token {
            let (times10, overflow) = number.multipliedReportingOverflow(by: 10)
            let (sum, overflowAgain) = times10.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
            guard !overflow, !overflowAgain else { return nil }
            number = sum
        }
        return number
    }

    private static let asciiNumberWords: [(word: [UInt8], value: Int)] =
        numberWords.filter { $0.key.utf8.allSatisfy { $0 < 0x80 } }.map { (Array($0.key.utf8), $0.value) }

    private static func length(count: Int, unit: String) -> SummaryLength? {
        let capped = min(count, 10_000)
        switch unit {
        case "sentence", "sentences", "文", "行", "lines", "line": return .sentences(capped)
        case "bullet", "bullets", "point", "points", "つ", "個", "項目", "箇条書き", "要点", "items", "item":
            return .bullets(capped)
        case "word", "words", "語", "単語": return .words(capped)
        case "文字", "字", "characters", "character", "chars": return .characters(capped)
        default: return nil
        }
    }

    /// Splits into runs of ASCII letters, runs of digits, known CJK units, and single other characters.
    static func tokenize(_ text: String) -> [String] {
        // ASCII instructions (Longhaul's default among them) are split byte by byte: Character's
        // look-ups made this 4 % of the simulator's CPU in bench/pipeline.sh, for the same tokens.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiTokens(text) }
        return tokensOfAnyText(text)
    }

    /// ``tokenize(_:)`` for ASCII text (no CJK unit or full-width digit can occur).
    static func asciiTokens(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return asciiTokenRanges(bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    /// ``asciiTokens(_:)`` as ranges of `bytes`.
    static func asciiTokenRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var tokens: [Range<Int>] = []
        var start = 0
        var currentIsDigit = false
        for (index, byte) in bytes.enumerated() {
            let isDigit = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            let isLetter = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            if isDigit || isLetter {
                if start < index && isDigit != currentIsDigit {
                    tokens.append(start..<index)
                    start = index
                }
                currentIsDigit = isDigit
                continue
            }
            if start < index { tokens.append(start..<index) }
            start = index + 1
            // Character.isWhitespace in ASCII: tab to CR, and space.
            let isWhitespace = (0x09...0x0D).contains(byte) || byte == 0x20
            if !isWhitespace && !"-,.:;()".utf8.contains(byte) { tokens.append(index..<(index + 1)) }
        }
        if start < bytes.count { tokens.append(start..<bytes.count) }
        return tokens
    }

    static func tokensOfAnyText(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        var currentIsDigit = false
        func flush() {
            if !current.isEmpty { tokens.append(current) }
            current = ""
        }
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let ch = chars[i]
            if ch.isASCII && (ch.isLetter || ch.isNumber) {
                let isDigit = ch.isNumber
                if !current.isEmpty && isDigit != currentIsDigit { flush() }
                currentIsDigit = isDigit
                current.append(ch)
            } else if ch.isNumber, let digit = ch.wholeNumberValue {  // full-width digits
                if !current.isEmpty && !currentIsDigit { flush() }
                currentIsDigit = true
                current.append(Character(String(digit)))
            } else {
                flush()
                // Multi-character Japanese units are matched greedily before single characters.
                var matched = false
                // Only a character that starts a unit can start one (building the candidates for
                // every space and comma cost 4 % of the simulator's CPU in bench/pipeline.sh).
                for unit in ["箇条書き", "文字", "項目", "要点", "単語"] where unit.first == ch && chars.count - i >= unit.count {
                    if String(chars[i..<(i + unit.count)]) == unit {
                        tokens.append(unit)
                        i += unit.count
                        matched = true
                        break
                    }
                }
                if matched { continue }
                if !ch.isWhitespace && !"-,.:;()".contains(ch) { tokens.append(String(ch)) }
            }
            i += 1
        }
        flush()
        return tokens
    }
}
