/// Counts (and encodes) text as OpenAI's `o200k_base` does — the tokenizer of gpt-oss and gpt-5,
/// `o200k_harmony` counting plain text the same — from the ranks in PyPI's `bpe-openai` wheel
/// (`bpe_openai/data/o200k_base.tiktoken.gz`, MIT), which `scripts/setup --test` installs, so
/// nothing is fetched at run time. Exact against `tiktoken` on the corpus of `O200kTokenizerTests`.
public struct O200kTokenizer: Sendable {
    let ranks: BPERanks

    public init(ranks: BPERanks) { self.ranks = ranks }

    /// The number of tokens of `text` (no special tokens).
    public func count(_ text: String) -> Int {
        var total = 0
        forEachPiece(text) { total += countPiece($0) }
        return total
    }

    /// The token ids of `text` (no special tokens).
    public func encode(_ text: String) -> [Int] {
        var tokens: [Int] = []
        forEachPiece(text) { piece in
            if let whole = ranks.rank(piece) {
                tokens.append(Int(whole))
            } else {
                let parts = merge(piece)
                for index in 0..<(parts.count - 1) {
                    tokens.append(Int(ranks.rank(piece[parts[index]..<parts[index + 1]]) ?? -1))
                }
            }
        }
        return tokens
    }

    /// Calls `body` with each piece's UTF-8 bytes, sliced from one array of the whole text.
    private func forEachPiece(_ text: String, _ body: (ArraySlice<UInt8>) -> Void) {
        let scalars = Array(text.unicodeScalars)
        let bytes = Array(text.utf8)
        var offsets: [Int] = []
        offsets.reserveCapacity(scalars.count + 1)
        var offset = 0
        for scalar in scalars {
            offsets.append(offset)
            offset += UTF8.width(scalar)
        }
        offsets.append(offset)
        for range in O200kPreTokenizer.pieces(scalars) {
            body(bytes[offsets[range.lowerBound]..<offsets[range.upperBound]])
        }
    }

    private func countPiece(_ piece: ArraySlice<UInt8>) -> Int {
        if ranks.rank(piece) != nil { return 1 }
        return merge(piece).count - 1
    }

    /// tiktoken's byte-pair merge: boundaries start between every byte; the adjacent pair whose
    /// joined bytes have the lowest rank is merged, until no pair is a token. Returns the
    /// boundaries (indices of `piece`, the first its start, the last its end).
    private func merge(_ piece: ArraySlice<UInt8>) -> [Int] {
        var bounds = Array(piece.indices.lowerBound...piece.indices.upperBound)
        // rank of joining part i and i+1, Int32.max when that is no token
        func pairRank(_ i: Int) -> Int32 {
            guard i + 2 < bounds.count else { return .max }
            return ranks.rank(piece[bounds[i]..<bounds[i + 2]]) ?? .max
        }
        var pairRanks = (0..<bounds.count).map { pairRank($0) }
        while bounds.count > 2 {
            var best = Int32.max
            var at = -1
            for i in 0..<(bounds.count - 2) where pairRanks[i] < best {
                best = pairRanks[i]
                at = i
            }
            guard at >= 0 else { break }
            bounds.remove(at: at + 1)
            pairRanks.remove(at: at + 1)
            pairRanks[at] = pairRank(at)
            if at > 0 { pairRanks[at - 1] = pairRank(at - 1) }
        }
        return bounds
    }
}
