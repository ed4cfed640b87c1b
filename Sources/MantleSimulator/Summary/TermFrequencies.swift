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

    init(sentences: [String]) {
        sentenceEnds.reserveCapacity(sentences.count)
        // An ASCII sentence lower-cased, its words then ranges of it (kept from one to the next).
        var lowered: [UInt8] = []
        for sentence in sentences {
            var sentence = sentence
            // A native String's bytes are contiguous: `withUTF8` copies nothing.
            let ascii = sentence.withUTF8 { utf8 in
                guard utf8.allSatisfy({ $0 < 0x80 }) else { return false }
                lowered.removeAll(keepingCapacity: true)
                lowered.append(contentsOf: utf8)
                lowered.withUnsafeMutableBufferPointer { addASCIITerms(of: $0) }
                return true
            }
            if !ascii {
                for var term in ExtractiveSummarizer.termsOfAnyText(of: sentence) {
                    term.withUTF8 { add($0, hash: Self.hash($0)) }
                }
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
    /// two or more, stop words left out. Each word's hash and packed bytes are taken as it is read.
    private mutating func addASCIITerms(of text: UnsafeMutableBufferPointer<UInt8>) {
        var start = 0
        var hash = Self.hashBasis
        var packed: UInt64 = 0
        for index in 0...text.count {
            var byte = index < text.count ? text[index] : 0
            if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) {
                byte += 0x20
                text[index] = byte
            }
            if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                hash = (hash ^ UInt64(byte)) &* Self.hashPrime
                if index - start < 8 { packed |= UInt64(byte) << (8 * UInt64(index - start)) }
                continue
            }
            let length = index - start
            if length > 1, length > 8 || !Self.isStopWord(packed: packed) {
                add(UnsafeBufferPointer(rebasing: text[start..<index]), hash: Int(truncatingIfNeeded: hash))
            }
            start = index + 1
            hash = Self.hashBasis
            packed = 0
        }
    }

    /// Counts one occurrence of `term` in the current sentence.
    private mutating func add(_ term: UnsafeBufferPointer<UInt8>, hash: Int) {
        let mask = slots.count - 1
        var slot = hash & mask
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
        var hash = hashBasis
        for byte in term { hash = (hash ^ UInt64(byte)) &* hashPrime }
        return Int(truncatingIfNeeded: hash)
    }

    private static let hashBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let hashPrime: UInt64 = 0x100_0000_01b3

    /// Whether a lower-case ASCII word is one of `ExtractiveSummarizer.stopWords`: none is longer
    /// than 8 bytes, so each is one `UInt64` (its bytes, zero-padded), found by binary search.
    private static func isStopWord(packed key: UInt64) -> Bool {
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
