/// Splits text into the pieces `o200k_base` encodes one at a time, as its published pattern does:
///
///     [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
///   | [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
///   | \p{N}{1,3} | ` `?[^\s\p{L}\p{N}]+[\r\n/]* | \s*[\r\n]+ | \s+(?!\S) | \s+
///
/// Written out by hand, each alternative with the backtracking the regex would do, because a
/// regex engine with these classes and a lookahead is not in the standard library and Swift's
/// `Regex` is slower than the whole BPE; the pass is linear in the text.
enum O200kPreTokenizer {
    /// The pieces of `scalars`, as index ranges, in order; together they cover every scalar.
    static func pieces(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        let classes = scalars.map(ScalarClass.init)
        var result: [Range<Int>] = []
        var start = 0
        while start < scalars.count {
            let end = match(classes, scalars, at: start) ?? (start + 1)
            result.append(start..<end)
            start = end
        }
        return result
    }

    /// The end of the leftmost alternative that matches at `start`.
    private static func match(_ c: [ScalarClass], _ s: [Unicode.Scalar], at start: Int) -> Int? {
        let n = c.count
        // Alternatives 1 and 2, first with the optional leading character, then without it.
        for prefix in c[start].isPrefix ? [1, 0] : [0] {
            if let end = casedWord(c, s, from: start + prefix, upperFirst: false) { return end }
        }
        for prefix in c[start].isPrefix ? [1, 0] : [0] {
            if let end = casedWord(c, s, from: start + prefix, upperFirst: true) { return end }
        }
        // \p{N}{1,3}
        if c[start].isNumber {
            var end = start + 1
            while end < n, end - start < 3, c[end].isNumber { end += 1 }
            return end
        }
        // ` `?[^\s\p{L}\p{N}]+[\r\n/]*
        for space in s[start] == " " ? [1, 0] : [0] {
            var end = start + space
            guard end < n, c[end].isSymbol else { continue }
            while end < n, c[end].isSymbol { end += 1 }
            while end < n, s[end] == "\r" || s[end] == "\n" || s[end] == "/" { end += 1 }
            return end
        }
        guard c[start].isWhitespace else { return nil }
        var runEnd = start
        while runEnd < n, c[runEnd].isWhitespace { runEnd += 1 }
        // \s*[\r\n]+ : up to the last line break of the run.
        if let lastBreak = (start..<runEnd).last(where: { s[$0] == "\r" || s[$0] == "\n" }) {
            return lastBreak + 1
        }
        // \s+(?!\S) : the run, less its last character when something other than space follows.
        if runEnd == n { return runEnd }
        if runEnd - start >= 2 { return runEnd - 1 }
        // \s+
        return runEnd
    }

    /// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+` (upperFirst false) or
    /// `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*` (true), then an optional
    /// contraction; nil when it does not match at `from`.
    private static func casedWord(_ c: [ScalarClass], _ s: [Unicode.Scalar], from: Int, upperFirst: Bool) -> Int? {
        let n = c.count
        guard from < n else { return nil }
        var upperEnd = from
        while upperEnd < n, c[upperEnd].isUpperish { upperEnd += 1 }
        var end: Int?
        if upperFirst {
            guard upperEnd > from else { return nil }
            var lowerEnd = upperEnd
            while lowerEnd < n, c[lowerEnd].isLowerish { lowerEnd += 1 }
            end = lowerEnd
        } else {
            // The upper run gives back characters until a lower one can start.
            var split = upperEnd
            while split >= from {
                if split < n, c[split].isLowerish {
                    var lowerEnd = split + 1
                    while lowerEnd < n, c[lowerEnd].isLowerish { lowerEnd += 1 }
                    end = lowerEnd
                    break
                }
                split -= 1
            }
        }
        guard let wordEnd = end else { return nil }
        return wordEnd + contraction(s, at: wordEnd)
    }

    /// The length of `'s 't 're 've 'm 'll 'd` (any case) at `index`, or 0.
    private static func contraction(_ s: [Unicode.Scalar], at index: Int) -> Int {
        guard index + 1 < s.count, s[index] == "'" else { return 0 }
        func lower(_ offset: Int) -> Character? {
            index + offset < s.count ? Character(s[index + offset]).lowercased().first : nil
        }
        switch (lower(1), lower(2)) {
        case ("r", "e"), ("v", "e"), ("l", "l"): return 3
        case ("s", _), ("t", _), ("m", _), ("d", _): return 2
        default: return 0
        }
    }
}

/// The character classes of the pattern, computed once per scalar.
struct ScalarClass {
    let isUpperish: Bool  // Lu Lt Lm Lo M
    let isLowerish: Bool  // Ll Lm Lo M
    let isLetter: Bool
    let isNumber: Bool
    let isWhitespace: Bool
    let isLineBreak: Bool

    init(_ scalar: Unicode.Scalar) {
        let category = scalar.properties.generalCategory
        switch category {
        case .uppercaseLetter, .titlecaseLetter:
            (isUpperish, isLowerish, isLetter) = (true, false, true)
        case .lowercaseLetter:
            (isUpperish, isLowerish, isLetter) = (false, true, true)
        case .modifierLetter, .otherLetter:
            (isUpperish, isLowerish, isLetter) = (true, true, true)
        case .nonspacingMark, .spacingMark, .enclosingMark:
            (isUpperish, isLowerish, isLetter) = (true, true, false)
        default:
            (isUpperish, isLowerish, isLetter) = (false, false, false)
        }
        switch category {
        case .decimalNumber, .letterNumber, .otherNumber: isNumber = true
        default: isNumber = false
        }
        isWhitespace = scalar.properties.isWhitespace
        isLineBreak = scalar == "\r" || scalar == "\n"
    }

    /// `[^\r\n\p{L}\p{N}]`: what may lead a word.
    var isPrefix: Bool { !isLineBreak && !isLetter && !isNumber }
    /// `[^\s\p{L}\p{N}]`: punctuation and symbols (marks included).
    var isSymbol: Bool { !isWhitespace && !isLetter && !isNumber }
}
