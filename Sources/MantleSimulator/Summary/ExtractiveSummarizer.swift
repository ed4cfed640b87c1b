/// Picks a document's most representative sentences, in their original order.
///
/// Sentences are scored by how frequent their terms are across the whole document: lower-cased
/// words for alphabetic scripts, character bigrams for CJK runs (Japanese has no spaces). That
/// favours sentences about the document's main subject, and works for English and Japanese alike.
enum ExtractiveSummarizer {
    /// The summary of `document` at the requested length, in the language of the document.
    static func summarize(_ document: String, length: SummaryLength) -> String {
        let sentences = SentenceSplitter.sentences(in: document)
        guard !sentences.isEmpty else { return "" }
        let terms = sentences.map(Self.terms(of:))
        var frequency: [String: Int] = [:]
        for sentenceTerms in terms {
            for term in sentenceTerms { frequency[term, default: 0] += 1 }
        }
        let scores: [Double] = terms.enumerated().map { index, sentenceTerms in
            guard !sentenceTerms.isEmpty else { return 0 }
            let total = sentenceTerms.reduce(0) { $0 + Double(frequency[$1] ?? 0) }
            // Average frequency, damped for very short sentences, with a small bonus for the lead.
            let shortness = min(1, Double(sentenceTerms.count) / 6)
            let lead = index == 0 ? 1.15 : 1
            return total / Double(sentenceTerms.count) * shortness * lead
        }
        // Best first; ties keep document order so output is deterministic.
        let ranked = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }

        switch length {
        case .sentences(let n):
            return Self.join(ranked.prefix(n).sorted().map { sentences[$0] })
        case .bullets(let n):
            return ranked.prefix(n).sorted().map { "- " + sentences[$0] }.joined(separator: "\n")
        case .automatic:
            let n = sentences.count <= 3 ? sentences.count : max(1, min(5, (sentences.count + 4) / 5))
            return Self.join(ranked.prefix(n).sorted().map { sentences[$0] })
        case .words(let limit):
            return Self.fill(ranked: ranked, sentences: sentences, limit: limit, measure: Self.wordCount(of:))
        case .characters(let limit):
            return Self.fill(ranked: ranked, sentences: sentences, limit: limit) { $0.count }
        }
    }

    /// Takes sentences best first while they fit in `limit`; if even the best does not fit, cuts it.
    private static func fill(ranked: [Int], sentences: [String], limit: Int, measure: (String) -> Int) -> String {
        var chosen: [Int] = []
        var used = 0
        for index in ranked {
            let size = measure(sentences[index])
            if used + size <= limit {
                chosen.append(index)
                used += size
            }
        }
        if chosen.isEmpty, let best = ranked.first {
            return Self.cut(sentences[best], to: limit, measure: measure)
        }
        return join(chosen.sorted().map { sentences[$0] })
    }

    private static func cut(_ sentence: String, to limit: Int, measure: (String) -> Int) -> String {
        if sentence.contains(" ") {
            return sentence.split(separator: " ").prefix(limit).joined(separator: " ") + "…"
        }
        return String(sentence.prefix(limit)) + "…"
    }

    /// Words for spaced scripts; a CJK sentence counts one word per two characters.
    static func wordCount(of sentence: String) -> Int {
        let spaced = sentence.split(whereSeparator: \.isWhitespace).count
        let cjk = sentence.unicodeScalars.filter(TokenEstimator.isCJK).count
        return cjk > spaced ? (cjk + 1) / 2 : spaced
    }

    /// Joins sentences with a space, except between CJK sentences, which run on.
    private static func join(_ sentences: [String]) -> String {
        var out = ""
        for sentence in sentences {
            if let last = out.unicodeScalars.last, !TokenEstimator.isCJK(last) { out += " " }
            out += sentence
        }
        return out
    }

    /// Lower-cased words (stop words left out) and CJK character bigrams.
    static func terms(of sentence: String) -> [String] {
        var terms: [String] = []
        var word = ""
        var cjkRun: [Character] = []
        func flushWord() {
            if word.count > 1, !stopWords.contains(word) { terms.append(word) }
            word = ""
        }
        func flushCJK() {
            if cjkRun.count == 1 {
                terms.append(String(cjkRun[0]))
            } else if cjkRun.count > 1 {
                for i in 0..<(cjkRun.count - 1) { terms.append(String(cjkRun[i...i + 1])) }
            }
            cjkRun.removeAll(keepingCapacity: true)
        }
        for ch in sentence {
            if let scalar = ch.unicodeScalars.first, TokenEstimator.isCJK(scalar),
                !ch.isPunctuation, !ch.isWhitespace, !ch.isSymbol
            {
                flushWord()
                cjkRun.append(ch)
            } else if ch.isLetter || ch.isNumber {
                flushCJK()
                word += ch.lowercased()
            } else {
                flushWord()
                flushCJK()
            }
        }
        flushWord()
        flushCJK()
        return terms
    }

    private static let stopWords: Set<String> = [
        "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "her", "was", "one", "our", "out", "has",
        "his", "how", "its", "who", "did", "yes", "she", "him", "they", "them", "their", "this", "that", "these",
        "those", "with", "from", "into", "than", "then", "there", "here", "what", "when", "where", "which", "while",
        "will", "would", "could", "should", "have", "had", "been", "being", "were", "also", "such", "some", "more",
        "most", "other", "about", "over", "only", "very", "just", "of", "to", "in", "on", "at", "by", "an", "as",
        "is", "it", "or", "be", "we", "he", "if", "so", "no", "do", "up", "my", "me", "us", "am",
    ]
}

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

extension String {
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
