/// Each sentence's terms as small integers, and how often each term occurs in the whole document:
/// all the summarizer's scores need.
///
/// Terms are interned by their UTF-8 bytes in one open-addressing table (FNV-1a), and an ASCII
/// sentence's words are read from its bytes as they are lower-cased: no `String` per word and no
/// SipHash. Words as `String`s, a `Set` of stop words and a `[String: Int]` of counts, each hashed
/// two or three times a word, were most of `ExtractiveSummarizer.summarize`'s 15 % of the
/// simulator's CPU per create (perf under `bench/simulator.sh`).
struct TermFrequencies {
    /// Occurrences of each term in the document, by term id.
    private(set) var counts: [Int] = []
    /// Every sentence's term ids in order, one sentence after another.
    private var ids: [Int32] = []
    /// Where each sentence's ids end in `ids`.
    private var sentenceEnds: [Int] = []
    /// Every distinct term's bytes, one after another: term `id` is `bytes[starts[id]..<starts[id + 1]]`.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    /// The hash table: a term id + 1 per slot, 0 for an empty one; a power of two long.
    private var slots = [Int32](repeating: 0, count: 64)
    /// A word being read, lower-cased.
    private var word: [UInt8] = []

    init(sentences: [String]) {
        sentenceEnds.reserveCapacity(sentences.count)
        for sentence in sentences {
            var sentence = sentence
            // A native String's bytes are contiguous: `withUTF8` copies nothing.
            let ascii = sentence.withUTF8 { utf8 in
                guard utf8.allSatisfy({ $0 < 0x80 }) else { return false }
                addASCIITerms(of: utf8)
                return true
            }
            if !ascii {
                for term in ExtractiveSummarizer.termsOfAnyText(of: sentence) { add(Array(term.utf8)) }
            }
            sentenceEnds.append(ids.count)
        }
    }

    /// The ids of sentence `index`'s terms, in order.
    func termIDs(ofSentence index: Int) -> ArraySlice<Int32> {
        ids[(index == 0 ? 0 : sentenceEnds[index - 1])..<sentenceEnds[index]]
    }

    /// The terms of sentence `index` as text, in order.
    func terms(ofSentence index: Int) -> [String] {
        termIDs(ofSentence: index).map { String(decoding: bytes[starts[Int($0)]..<starts[Int($0) + 1]], as: UTF8.self) }
    }

    /// `ExtractiveSummarizer.termsOfAnyText` for ASCII: lower-cased runs of letters and digits of
    /// two or more, stop words left out.
    private mutating func addASCIITerms(of utf8: UnsafeBufferPointer<UInt8>) {
        word.removeAll(keepingCapacity: true)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 0x20)
            default: addWord()
            }
        }
        addWord()
    }

    private mutating func addWord() {
        defer { word.removeAll(keepingCapacity: true) }
        guard word.count > 1, !Self.isStopWord(word) else { return }
        add(word)
    }

    /// Counts one occurrence of `term` in the current sentence.
    private mutating func add(_ term: [UInt8]) {
        let mask = slots.count - 1
        var slot = Self.hash(term) & mask
        while slots[slot] != 0 {
            let id = Int(slots[slot] - 1)
            if bytes[starts[id]..<starts[id + 1]].elementsEqual(term) {
                counts[id] += 1
                ids.append(Int32(id))
                return
            }
            slot = (slot + 1) & mask
        }
        let id = counts.count
        slots[slot] = Int32(id + 1)
        bytes.append(contentsOf: term)
        starts.append(bytes.count)
        counts.append(1)
        ids.append(Int32(id))
        if counts.count * 2 > slots.count { grow() }
    }

    /// Doubles the table and places every term again (at most half full: probes stay short).
    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for id in counts.indices {
            var slot = Self.hash(bytes[starts[id]..<starts[id + 1]]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }

    /// FNV-1a: a multiply a byte, enough for a table of a document's words (SipHash's resistance
    /// to chosen collisions is not needed for a simulator's own tally).
    private static func hash(_ term: some Sequence<UInt8>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in term { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: hash)
    }

    /// Whether a lower-case ASCII word is one of `ExtractiveSummarizer.stopWords`: none is longer
    /// than 8 bytes, so each is one `UInt64` (its bytes, zero-padded), found by binary search.
    private static func isStopWord(_ word: [UInt8]) -> Bool {
        guard word.count <= 8 else { return false }
        let key = packed(word)
        var low = 0, high = packedStopWords.count
        while low < high {
            let middle = (low + high) / 2
            if packedStopWords[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < packedStopWords.count && packedStopWords[low] == key
    }

    private static func packed(_ word: some Sequence<UInt8>) -> UInt64 {
        var key: UInt64 = 0
        for (index, byte) in word.enumerated() { key |= UInt64(byte) << (8 * UInt64(index)) }
        return key
    }

    static let packedStopWords: [UInt64] = ExtractiveSummarizer.stopWords.map { packed($0.utf8) }.sorted()
}
