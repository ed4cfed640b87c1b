import Foundation
import Hashing
import Testing

@Suite("SHA-256 and HMAC-SHA256 against the published vectors")
struct SHA256Tests {
    static func hex(_ digest: SHA256Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// FIPS 180-4 examples (and the NIST CAVP long-message "a" × 1,000,000).
    static let vectors: [(String, String)] = [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ]

    @Test("the FIPS 180-4 examples", arguments: 0..<vectors.count)
    func fips(index: Int) {
        let (message, expected) = Self.vectors[index]
        #expect(Self.hex(SHA256.hash(data: Data(message.utf8))) == expected)
    }

    @Test("a string's UTF-8 hashes in place as its bytes do", arguments: 0..<vectors.count)
    func utf8(index: Int) {
        let (message, expected) = Self.vectors[index]
        #expect(Self.hex(SHA256.hash(utf8: message)) == expected)
        #expect(Self.hex(SHA256.hash(utf8: message.dropFirst(0))) == expected)  // a Substring
        var pieces = SHA256()
        let middle = message.index(message.startIndex, offsetBy: message.count / 2)
        pieces.update(utf8: message[..<middle])
        pieces.update(utf8: message[middle...])
        #expect(Self.hex(pieces.finalize()) == expected)
        #expect(Self.hex(SHA256.hash(utf8: "é日本")) == Self.hex(SHA256.hash(data: Data("é日本".utf8))))
    }

    @Test("a million 'a's, fed in pieces that straddle block boundaries, hash as one")
    func millionAs() {
        var hasher = SHA256()
        var fed = 0
        var size = 1
        while fed < 1_000_000 {
            let piece = min(size, 1_000_000 - fed)
            hasher.update(data: [UInt8](repeating: UInt8(ascii: "a"), count: piece))
            fed += piece
            size = size % 131 + 7
        }
        #expect(Self.hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("every length around the padding boundaries hashes the same in one piece and byte by byte")
    func paddingBoundaries() {
        for length in [55, 56, 57, 63, 64, 65, 119, 120, 128] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            var hasher = SHA256()
            for byte in bytes { hasher.update(data: [byte]) }
            #expect(hasher.finalize() == SHA256.hash(data: bytes), "length \(length)")
        }
    }

    @Test("a copied hasher hashes on independently of the original, before and after either finishes")
    func copiesAreIndependent() {
        var original = SHA256()
        original.update(utf8: "shared prefix, ")
        var copy = original
        copy.update(utf8: "then the copy's own text")
        let copied = copy
        original.update(utf8: "then the original's")
        #expect(original.finalize() == SHA256.hash(utf8: "shared prefix, then the original's"))
        #expect(copy.finalize() == SHA256.hash(utf8: "shared prefix, then the copy's own text"))
        // Finishing one copy leaves the other as it was.
        #expect(copied.finalize() == copy.finalize())
        #expect(SHA256().finalize() == SHA256.hash(data: [UInt8]()))
        #expect(Self.hex(SHA256().finalize()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// RFC 4231 test cases 1, 2, 4 and 6 (a key longer than the block).
    static let hmacVectors: [(key: [UInt8], message: [UInt8], mac: String)] = [
        ([UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), Array("what do ya want for nothing?".utf8), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (
            Array(1...25), [UInt8](repeating: 0xcd, count: 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        (
            [UInt8](repeating: 0xaa, count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
    ]

    @Test("the RFC 4231 HMAC-SHA256 cases", arguments: 0..<hmacVectors.count)
    func rfc4231(index: Int) {
        let vector = Self.hmacVectors[index]
        #expect(Self.hex(HMACSHA256.authenticationCode(for: vector.message, key: vector.key)) == vector.mac)
    }
}

@Suite("SHA-1 against the FIPS 180-4 examples")
struct SHA1Tests {
    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        (String(repeating: "a", count: 1000), "291e9a6c66994949b57ba5e650361e98fc36b1ba"),
    ])
    func fips(message: String, expected: String) {
        #expect(SHA1.hex(of: Data(message.utf8)) == expected)
    }
}
