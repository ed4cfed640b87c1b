import Testing

import LonghaulCore

@Suite struct DocumentChunkerTests {
    static func paragraph(_ topic: String, sentences: Int) -> String {
        (1...sentences).map { "The \(topic) note number \($0) says the harbour keeps its records in order." }.joined(separator: " ")
    }

    /// Three chapters of two sections each, every section a few paragraphs.
    static let book: String = (1...3).map { chapter in
        "# Chapter \(chapter)\n\n"
            + (1...2).map { section in
                "## Section \(chapter).\(section)\n\n" + (1...3).map { _ in paragraph("c\(chapter)s\(section)", sentences: 4) }.joined(separator: "\n\n")
            }.joined(separator: "\n\n")
    }.joined(separator: "\n\n")

    /// The chunks' own texts, in order, are the document's blocks without gaps or repeats.
    static func expectCoversInOrder(_ chunks: [DocumentChunk], _ text: String) {
        let utf8 = Array(text.utf8)
        var previousEnd = 0
        for chunk in chunks {
            #expect(chunk.startOffset >= previousEnd)
            let between = String(decoding: utf8[previousEnd..<chunk.startOffset], as: UTF8.self)
            let blank = between.allSatisfy { $0.isWhitespace }
            #expect(blank, "text lost between chunks: \(between.prefix(80))")
            previousEnd = chunk.endOffset
        }
        let rest = String(decoding: utf8[previousEnd...], as: UTF8.self)
        #expect(rest.allSatisfy { $0.isWhitespace })
    }

    @Test func aDocumentThatFitsIsOneChunk() {
        let chunks = DocumentChunker.chunks(of: Self.book, maxTokens: 100_000)
        #expect(chunks.count == 1)
        #expect(chunks.first?.text == Self.book)
        #expect(chunks.first?.headingPath == ["Chapter 1"])
    }

    @Test func chunksStartAtHeadingsAndKnowTheirPath() {
        let chunks = DocumentChunker.chunks(of: Self.book, maxTokens: 300)
        #expect(chunks.count >= 6)
        Self.expectCoversInOrder(chunks, Self.book)
        for chunk in chunks {
            #expect(chunk.estimatedTokens <= 300)
            #expect(chunk.text.hasPrefix("#"), "chunk \(chunk.index) starts mid-section: \(chunk.text.prefix(60))")
        }
        #expect(chunks.map(\.index) == Array(0..<chunks.count))
        #expect(chunks[0].headingPath == ["Chapter 1"])
        let secondSection = chunks.first { $0.text.hasPrefix("## Section 1.2") }
        #expect(secondSection?.headingPath == ["Chapter 1", "Section 1.2"])
        let chapterTwo = chunks.first { $0.text.contains("c2s1") }
        #expect(chapterTwo?.headingPath.first == "Chapter 2")
    }

    @Test func sectionsLongerThanAChunkAreCutAtParagraphsThenSentences() {
        let text = "# Only heading\n\n" + (1...6).map { _ in Self.paragraph("p", sentences: 6) }.joined(separator: "\n\n")
        let byParagraph = DocumentChunker.chunks(of: text, maxTokens: 250)
        Self.expectCoversInOrder(byParagraph, text)
        #expect(byParagraph.count > 1)
        for chunk in byParagraph.dropFirst() {
            #expect(chunk.text.hasPrefix("The p note number 1 "), "not cut at a paragraph: \(chunk.text.prefix(40))")
            #expect(chunk.headingPath == ["Only heading"])
        }
        let bySentence = DocumentChunker.chunks(of: text, maxTokens: 60)
        Self.expectCoversInOrder(bySentence, text)
        for chunk in bySentence {
            #expect(chunk.estimatedTokens <= 60)
            #expect(chunk.text.hasPrefix("The p note") || chunk.text.hasPrefix("# Only"))
            #expect(chunk.text.hasSuffix(".") || chunk.text.hasSuffix("heading"))
        }
    }

    @Test func aSentenceWithoutBreaksIsCutWithoutSplittingACharacter() {
        let text = String(repeating: "港の記録", count: 2_000)
        let chunks = DocumentChunker.chunks(of: text, maxTokens: 500)
        #expect(chunks.count > 1)
        #expect(chunks.map(\.text).joined() == text)
        for chunk in chunks { #expect(chunk.estimatedTokens <= 500) }
    }

    @Test func japaneseSentencesAreCutAtFullStops() {
        let sentence = "港は毎朝六時に開きます。"
        let text = String(repeating: sentence, count: 300)
        let chunks = DocumentChunker.chunks(of: text, maxTokens: 200)
        #expect(chunks.count > 1)
        for chunk in chunks { #expect(chunk.text.hasSuffix("。")) }
    }

    @Test func overlapCarriesThePreviousChunksLastSentences() {
        let text = (1...8).map { Self.paragraph("o\($0)", sentences: 5) }.joined(separator: "\n\n")
        let chunks = DocumentChunker.chunks(of: text, maxTokens: 200, overlapTokens: 40)
        Self.expectCoversInOrder(chunks, text)
        #expect(chunks.count > 2)
        #expect(chunks[0].overlapTokens == 0)
        for (previous, chunk) in zip(chunks, chunks.dropFirst()) {
            #expect(chunk.overlapTokens > 0 && chunk.overlapTokens <= 40)
            #expect(chunk.estimatedTokens <= 200)
            let utf8 = Array(text.utf8)
            let tail = String(decoding: utf8[previous.startOffset..<previous.endOffset], as: UTF8.self)
            let carried = String(chunk.text.prefix(while: { $0 != "\n" }))
            #expect(tail.hasSuffix(carried), "the overlap is not the previous chunk's end")
        }
    }

    @Test func setextAndReStructuredTextTitlesAreHeadings() {
        let text = """
            Field Manual
            ============

            \(Self.paragraph("intro", sentences: 8))

            Installation
            ------------

            \(Self.paragraph("install", sentences: 8))

            Mounting
            ~~~~~~~~

            \(Self.paragraph("mount", sentences: 8))
            """
        let chunks = DocumentChunker.chunks(of: text, maxTokens: 180)
        #expect(chunks.map(\.headingPath) == [["Field Manual"], ["Field Manual", "Installation"], ["Field Manual", "Installation", "Mounting"]])
    }

    @Test func emptyTextHasNoChunks() {
        #expect(DocumentChunker.chunks(of: "\n\n  \n", maxTokens: 100).isEmpty)
    }
}
