import Foundation
import TestSupport
import Testing

@testable import Tokenizers

/// The Swift o200k_base tokenizer against `tiktoken` (Fixtures/o200k-fixture.json, written by
/// Fixtures/make-o200k-fixture.py from this repository's texts and edge cases).
@Suite struct O200kTokenizerTests {
    struct Sample: Decodable {
        let name: String
        let text: String
        let count: Int
        let tokens: [Int]
    }

    static func tokenizer() throws -> O200kTokenizer? {
        guard let path = o200kRanksPath() else {
            Issue.record(Comment(rawValue: o200kRanksMissing))
            return nil
        }
        return O200kTokenizer(ranks: try BPERanks(contentsOf: path))
    }

    static func samples() throws -> [Sample] {
        let url = try #require(Bundle.module.url(forResource: "o200k-fixture", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode([Sample].self, from: Data(contentsOf: url))
    }

    @Test func countsAndTokensMatchTiktoken() throws {
        guard let tokenizer = try Self.tokenizer() else { return }
        for sample in try Self.samples() {
            #expect(tokenizer.count(sample.text) == sample.count, "\(sample.name)")
            #expect(Array(tokenizer.encode(sample.text).prefix(sample.tokens.count)) == sample.tokens, "\(sample.name)")
        }
    }

    @Test func piecesCoverTheText() {
        let text = "I'm  here\n\n  ok 12345 ✓"
        let scalars = Array(text.unicodeScalars)
        let pieces = O200kPreTokenizer.pieces(scalars)
        #expect(pieces.first?.lowerBound == 0 && pieces.last?.upperBound == scalars.count)
        for (left, right) in zip(pieces, pieces.dropFirst()) { #expect(left.upperBound == right.lowerBound) }
        #expect(pieces.map { String(String.UnicodeScalarView(scalars[$0])) } == ["I'm", " ", " here", "\n\n", " ", " ok", " ", "123", "45", " ✓"])
    }

    @Test func aMalformedRanksFileIsRefusedWithTheLine() {
        #expect(throws: BPERanksError.self) { try BPERanks(tiktokenFile: Data("YQ== 0\nnot-a-line\n".utf8)) }
        #expect(throws: BPERanksError.self) { try BPERanks(tiktokenFile: Data()) }
    }
}

extension O200kTokenizerTests {
    @Test func countsAMegabyteOfProse() throws {
        guard let tokenizer = try Self.tokenizer() else { return }
        let sample = try #require(try Self.samples().first { $0.name == "english essay" })
        let repeats = (1 << 20) / max(1, sample.text.utf8.count) + 1
        let text = String(repeating: sample.text + "\n\n", count: repeats)
        let started = ContinuousClock.now
        let count = tokenizer.count(text)
        let elapsed = ContinuousClock.now - started
        // Each copy counts as the sample plus the joins; the figure goes to the log for bench notes.
        #expect(count >= sample.count * repeats)
        print("o200k_base: \(text.utf8.count) bytes, \(count) tokens in \(elapsed)")
        #expect(elapsed < .seconds(60))
    }
}
