/// Cuts a document into chunks of at most `maxTokens` estimated tokens at its own structure:
/// before a heading if one falls in the second half of the chunk (outer headings first), else
/// at a paragraph, else at a sentence, else anywhere (at a space where there is one). Each
/// chunk after the first starts with up to `overlapTokens` of the previous chunk's last
/// sentences, so that a thought cut in two is read whole once. Pure: same text, same chunks.
public enum DocumentChunker {
    /// Counts a text's tokens (the calibrated estimate, or a real tokenizer).
    public typealias TokenCounter = @Sendable (String) -> Int

    public static func chunks(
        of text: String, maxTokens: Int, overlapTokens: Int = 0, count: TokenCounter = TokenEstimate.inputTokens
    ) -> [DocumentChunk] {
        let bytes = Array(text.utf8)
        let overlap = max(0, min(overlapTokens, maxTokens / 4))
        let budget = max(1, maxTokens - overlap)
        let blocks = refine(DocumentBlocks.parse(text), bytes: bytes, budget: budget, count: count)
        guard !blocks.isEmpty else { return [] }
        func piece(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        let tokens = blocks.map { count(piece($0.range)) + 1 }
        let paths = headingPaths(blocks)

        var chunks: [DocumentChunk] = []
        var first = 0
        while first < blocks.count {
            let next = cut(after: first, tokens: tokens, blocks: blocks, budget: budget)
            let start = blocks[first].range.lowerBound
            let end = blocks[next - 1].range.upperBound
            var textStart = start
            var carried = 0
            if let previous = chunks.last, overlap > 0 {
                (textStart, carried) = overlapStart(before: start, previousStart: previous.startOffset, blocks: blocks[..<first], bytes: bytes, overlap: overlap, count: count)
            }
            let chunkText = piece(textStart..<end)
            chunks.append(
                DocumentChunk(
                    index: chunks.count, text: chunkText, headingPath: paths[first], startOffset: start, endOffset: end,
                    estimatedTokens: count(chunkText), overlapTokens: carried))
            first = next
        }
        return chunks
    }

    /// The end (exclusive block index) of the chunk that starts at `first`: as many blocks as fit,
    /// cut at the best place in the second half.
    private static func cut(after first: Int, tokens: [Int], blocks: [DocumentBlock], budget: Int) -> Int {
        var total = 0
        var end = first
        while end < blocks.count, total + tokens[end] <= budget || end == first {
            total += tokens[end]
            end += 1
        }
        guard end < blocks.count else { return end }
        var best = end
        var bestQuality = blocks[end].cutQuality
        var filled = total
        // Walk back from the block that did not fit while the chunk stays at least half full.
        var candidate = end - 1
        while candidate > first {
            filled -= tokens[candidate]
            guard filled * 2 >= budget else { break }
            if blocks[candidate].cutQuality > bestQuality {
                best = candidate
                bestQuality = blocks[candidate].cutQuality
            }
            candidate -= 1
        }
        return best
    }

    /// Splits blocks over `budget` into sentences, and sentences over it into fragments.
    private static func refine(_ blocks: [DocumentBlock], bytes: [UInt8], budget: Int, count: TokenCounter) -> [DocumentBlock] {
        var refined: [DocumentBlock] = []
        for block in blocks {
            guard count(String(decoding: bytes[block.range], as: UTF8.self)) + 1 > budget else {
                refined.append(block)
                continue
            }
            for (position, sentence) in DocumentBlocks.sentences(bytes, in: block.range).enumerated() {
                let kind: DocumentBlock.Kind = position == 0 ? (block.kind == .paragraph ? .paragraph : .sentence) : .sentence
                if count(String(decoding: bytes[sentence], as: UTF8.self)) + 1 <= budget {
                    refined.append(DocumentBlock(kind: kind, range: sentence))
                } else {
                    for (part, fragment) in fragments(of: sentence, bytes: bytes, budget: budget, count: count).enumerated() {
                        refined.append(DocumentBlock(kind: part == 0 ? kind : .fragment, range: fragment))
                    }
                }
            }
        }
        return refined
    }

    /// Pieces of `range` that each fit `budget`: grown a character at a time, cut at the last
    /// space when there is one in the second half, never inside a UTF-8 sequence.
    private static func fragments(of range: Range<Int>, bytes: [UInt8], budget: Int, count: TokenCounter) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        // The estimate is about 4 bytes a token (1 per CJK character): start from a span that
        // fits and grow or shrink it, rather than counting every prefix.
        while start < range.upperBound {
            var end = min(range.upperBound, start + max(4, budget * 4))
            while end > start + 1, !isCharacterStart(bytes, end, limit: range.upperBound) { end -= 1 }
            while end > start + 1, count(String(decoding: bytes[start..<end], as: UTF8.self)) + 1 > budget {
                end = start + max(1, (end - start) * 9 / 10)
                while end > start + 1, !isCharacterStart(bytes, end, limit: range.upperBound) { end -= 1 }
            }
            if end < range.upperBound, let space = bytes[start..<end].lastIndex(of: 0x20), (space - start) * 2 >= end - start {
                end = space + 1
            }
            result.append(start..<end)
            start = end
        }
        return result
    }

    private static func isCharacterStart(_ bytes: [UInt8], _ index: Int, limit: Int) -> Bool {
        index >= limit || bytes[index] & 0xC0 != 0x80
    }

    /// The headings in effect at each block (a heading block counts itself).
    private static func headingPaths(_ blocks: [DocumentBlock]) -> [[String]] {
        var stack: [(level: Int, title: String)] = []
        return blocks.map { block in
            if case .heading(let level, let title) = block.kind {
                while let last = stack.last, last.level >= level { stack.removeLast() }
                stack.append((level, title))
            }
            return stack.map(\.title)
        }
    }

    /// Where a chunk's text starts when it carries the previous chunk's last sentences (up to
    /// `overlap` tokens, never a heading, never before the previous chunk's own start), and the
    /// tokens carried.
    private static func overlapStart(
        before start: Int, previousStart: Int, blocks: ArraySlice<DocumentBlock>, bytes: [UInt8], overlap: Int, count: TokenCounter
    ) -> (Int, Int) {
        guard let last = blocks.last else { return (start, 0) }
        if case .heading = last.kind { return (start, 0) }
        var chosen = start
        var carried = 0
        for sentence in DocumentBlocks.sentences(bytes, in: last.range).reversed() {
            guard sentence.lowerBound >= previousStart else { break }
            let tokens = count(String(decoding: bytes[sentence.lowerBound..<last.range.upperBound], as: UTF8.self))
            guard tokens <= overlap else { break }
            chosen = sentence.lowerBound
            carried = tokens
        }
        return (chosen, carried)
    }
}
