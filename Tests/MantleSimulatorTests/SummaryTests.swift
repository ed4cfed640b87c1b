import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MantleSimulator

@Suite struct SummaryTests {
    @Test(arguments: [
        ("Summarise the document in 3 sentences.", SummaryLength.sentences(3)),
        ("Summarise the document in 5 bullet points.", .bullets(5)),
        ("Give five key points.", .bullets(5)),
        ("Summarise in no more than 40 words.", .words(40)),
        ("Write one sentence.", .sentences(1)),
        ("3文で要約してください。", .sentences(3)),
        ("要点を3つの箇条書きでまとめてください。", .bullets(3)),
        ("200文字以内で要約してください。", .characters(200)),
        ("Summarise the document.", .automatic),
    ])
    func lengthIsReadFromInstructions(_ instructions: String, _ expected: SummaryLength) {
        #expect(SummaryLength(instructions: instructions) == expected)
    }

    @Test func picksRepresentativeSentencesInOriginalOrder() {
        let summary = ExtractiveSummarizer.summarize(Documents.english, length: .sentences(2))
        let sentences = SentenceSplitter.sentences(in: summary)
        #expect(sentences.count == 2)
        #expect(sentences.allSatisfy { $0.contains("lighthouse") })
        let positions = sentences.compactMap { Documents.english.range(of: $0)?.lowerBound }
        #expect(positions.count == 2 && positions == positions.sorted())
    }

    @Test func bulletsAndWordLimits() {
        let bullets = ExtractiveSummarizer.summarize(Documents.english, length: .bullets(3))
        #expect(bullets.split(separator: "\n").count == 3)
        #expect(bullets.split(separator: "\n").allSatisfy { $0.hasPrefix("- ") })
        let short = ExtractiveSummarizer.summarize(Documents.english, length: .words(25))
        #expect(ExtractiveSummarizer.wordCount(of: short) <= 25)
        #expect(!short.isEmpty)
    }

    @Test func splitsJapaneseOnFullStops() {
        let sentences = SentenceSplitter.sentences(in: "今日は晴れ。「明日は雨？」と彼は言った！最後の文")
        #expect(sentences == ["今日は晴れ。", "「明日は雨？」と彼は言った！", "最後の文"])
    }

    @Test func splitsEnglishWithoutBreakingNumbers() {
        let sentences = SentenceSplitter.sentences(in: "Pi is 3.14 or so. Is it? \"Yes!\" she said.\n\nNew paragraph")
        #expect(sentences == ["Pi is 3.14 or so.", "Is it?", "\"Yes!\" she said.", "New paragraph"])
    }

    @Test func japaneseTokensCountCharacters() {
        #expect(TokenEstimator.tokens(in: "東京は日本の首都") == 8)
        #expect(TokenEstimator.tokens(in: "abcdefgh") == 2)
    }

    @Test func japaneseDocumentIsSummarisedOverTheWire() async throws {
        try await SimulatorHarness.run { sim async throws in
            let response = try await sim.create(
                input: Documents.japanese,
                instructions: "この文書を2文で要約してください。",
                background: false
            )
            let text = response.outputText
            let sentences = SentenceSplitter.sentences(in: text)
            #expect(sentences.count == 2, "\(text)")
            #expect(sentences.allSatisfy { $0.contains("東京") && $0.hasSuffix("。") }, "\(text)")
            let input = try #require(response["usage"]["input_tokens"].int)
            #expect(input >= Documents.japanese.count)  // about one token per character
            #expect(input < Documents.japanese.count + 60)
        }
    }
}
