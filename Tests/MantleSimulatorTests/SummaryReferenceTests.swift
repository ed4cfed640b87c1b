import Testing

@testable import MantleSimulator

/// The summarizer's counting against the code it replaced, kept here as the reference: terms as
/// `String`s counted in a `[String: Int]`, tokens counted over `unicodeScalars`. The same rankings
/// and counts give the same summaries (what is done with a ranking did not change).
@Suite struct SummaryReferenceTests {
    static func referenceRanking(of sentences: [String]) -> [Int] {
        let terms = sentences.map(ExtractiveSummarizer.termsOfAnyText(of:))
        var frequency: [String: Int] = [:]
        for sentenceTerms in terms {
            for term in sentenceTerms { frequency[term, default: 0] += 1 }
        }
        let scores: [Double] = terms.enumerated().map { index, sentenceTerms in
            guard !sentenceTerms.isEmpty else { return 0 }
            let total = sentenceTerms.reduce(0) { $0 + Double(frequency[$1] ?? 0) }
            let shortness = min(1, Double(sentenceTerms.count) / 6)
            let lead = index == 0 ? 1.15 : 1
            return total / Double(sentenceTerms.count) * shortness * lead
        }
        return scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
    }

    static func referenceTokens(in text: String) -> Int {
        var cjk = 0
        var otherBytes = 0
        for scalar in text.unicodeScalars {
            if TokenEstimator.isCJK(scalar) { cjk += 1 } else { otherBytes += UTF8.width(scalar) }
        }
        return cjk + (otherBytes + 3) / 4
    }

    /// The ASCII edge cases, documents in other scripts, and random texts of mixed scripts: Latin
    /// with accents, CJK of 3 and 4 bytes, full-width forms, Hangul, emoji, CR LF.
    static func texts() -> [String] {
        var texts =
            WireFastPathTests.asciiTexts() + [
                Documents.english, Documents.japanese, String(repeating: Documents.english + "\n\n", count: 40),
                "Tokyo is big. 東京 Tokyo! Tokyo again? tokyo TOKYO.", "Café au lait. Naïve résumé! Straße? ΩMEGA ωmega.",
                "한국어 문장입니다. 또 하나! 𠀀𠀁 𪚲。ＡＢＣ１２３　全角。", "Emoji 😀 and 👩‍👩‍👧‍👦 here. Again 😀!", "A\r\nB. C.\r\n\r\nD!",
                "「雨？」と彼は言った。晴れ！", "x", "",
            ]
        var generator = SeededGenerator(seed: 29)
        let alphabet = Array("aZ9 .!?\"()\n\r\t,éÉñß東京日本語。「」！？ＡＢ１　한국😀𠀀ωΩ-")
        let words = ["the", "harbour", "Harbour", "東京", "café", "Café", "lamp", "of", "x1", "ωmega"]
        for _ in 0..<300 {
            let length = Int(generator.next() % 80)
            texts.append(String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }))
            let count = Int(generator.next() % 40)
            texts.append(
                (0..<count).map { _ in
                    words[Int(generator.next() % UInt64(words.count))] + [" ", ". ", "。", "! "][Int(generator.next() % 4)]
                }.joined())
        }
        return texts
    }

    @Test func rankingsAreTheReferences() {
        for text in Self.texts() {
            let sentences = SentenceSplitter.sentences(in: text)
            #expect(ExtractiveSummarizer.ranking(of: sentences) == Self.referenceRanking(of: sentences), "\(text.debugDescription)")
        }
    }

    @Test func tokenCountsAreTheReferences() {
        for text in Self.texts() {
            #expect(TokenEstimator.tokens(in: text) == Self.referenceTokens(in: text), "\(text.debugDescription)")
        }
    }

    /// Each sentence's terms as `termsOfAnyText` finds them, and counted across sentences.
    @Test func termsAreTheGeneralOnes() {
        for text in Self.texts() {
            let sentences = SentenceSplitter.sentences(in: text)
            let frequencies = TermFrequencies(sentences: sentences)
            var counts: [String: Int] = [:]
            for (index, sentence) in sentences.enumerated() {
                let terms = ExtractiveSummarizer.termsOfAnyText(of: sentence)
                #expect(frequencies.terms(ofSentence: index) == terms, "\(sentence.debugDescription)")
                for term in terms { counts[term, default: 0] += 1 }
            }
            #expect(frequencies.counts.sorted() == counts.values.sorted())
        }
    }

    /// Stop words are found as one `UInt64` each: none may be longer than 8 bytes.
    @Test func everyStopWordFitsInEightBytes() {
        #expect(ExtractiveSummarizer.stopWords.allSatisfy { $0.utf8.count <= 8 })
        #expect(Set(TermFrequencies.packedStopWords).count == ExtractiveSummarizer.stopWords.count)
    }
}
