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
        let ranked = ranking(of: sentences)
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

    /// The sentences' indices, best first: by the average frequency of their terms in the whole
    /// document, damped for very short sentences, with a small bonus for the lead.
    static func ranking(of sentences: [String]) -> [Int] {
        let terms = TermFrequencies(sentences: sentences)
        let scores: [Double] = sentences.indices.map { index in
            let ids = terms.termIDs(ofSentence: index)
            guard !ids.isEmpty else { return 0 }
            let total = ids.reduce(0) { $0 + Double(terms.counts[Int($1)]) }
            let shortness = min(1, Double(ids.count) / 6)
            let lead = index == 0 ? 1.15 : 1
            return total / Double(ids.count) * shortness * lead
        }
        // Ties keep document order so output is deterministic.
        return scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
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

    /// Lower-cased words (stop words left out) and CJK character bigrams: the definition, which
    /// `TermFrequencies` follows byte by byte for ASCII sentences (`WireFastPathTests`).
    static func termsOfAnyText(of sentence: String) -> [String] {
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

    static let stopWords: Set<String> = [
        "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "her", "was", "one", "our", "out", "has",
        "his", "how", "its", "who", "did", "yes", "she", "him", "they", "them", "their", "this", "that", "these",
        "those", "with", "from", "into", "than", "then", "there", "here", "what", "when", "where", "which", "while",
        "will", "would", "could", "should", "have", "had", "been", "being", "were", "also", "such", "some", "more",
        "most", "other", "about", "over", "only", "very", "just", "of", "to", "in", "on", "at", "by", "an", "as",
        "is", "it", "or", "be", "we", "he", "if", "so", "no", "do", "up", "my", "me", "us", "am",
    ]
}
