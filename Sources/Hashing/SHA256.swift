public import Foundation
import CCrypto

/// SHA-256 (FIPS 180-4), all Longhaul hashes: content addresses, token digests, webhook signatures
/// and SigV4. Computed by OpenSSL's libcrypto, which libcurl loads anyway (it is its TLS): its
/// digest uses the CPU's SHA instructions, 1.5 GB/s on 2 KB inputs here (`openssl speed -evp
/// sha256`) where the rounds written in Swift did about 175 MB/s, 5 % of the API server's CPU
/// (a job's 2 KB document hashed on every enqueue). Not swift-crypto: BoringSSL behind it was a
/// quarter of a fresh build on 2 cores. Checked against FIPS and RFC 4231 vectors, and end to end
/// by the SigV4 and Standard Webhooks interop tests.
///
/// A value type like any other: a copy hashes on independently (the context is copied when a
/// shared one would be written).
public struct SHA256: Sendable {
    private var context: DigestContext

    public init() {
        context = DigestContext()
    }

    /// The digest of `data` in one call.
    public static func hash<D: DataProtocol>(data: D) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(data: data)
        return hasher.finalize()
    }

    /// Adds `data` to what is hashed.
    public mutating func update<D: DataProtocol>(data: D) {
        for region in data.regions {
            region.withUnsafeBytes { update(bytes: $0) }
        }
    }

    /// Adds the UTF-8 bytes of `text`, read in place where they are contiguous (a native
    /// string's are) rather than copied into a `Data` first.
    public mutating func update(utf8 text: some StringProtocol) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { update(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil { update(data: Array(text.utf8)) }
    }

    /// The digest of the UTF-8 bytes of `text` in one call.
    public static func hash(utf8 text: some StringProtocol) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(utf8: text)
        return hasher.finalize()
    }

    /// Adds raw bytes to what is hashed.
    public mutating func update(bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
        context.update(base, count: bytes.count)
    }

    /// The digest of everything added; the hasher is spent.
    public consuming func finalize() -> SHA256Digest {
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
        return context.finish()
    }
}

/// An OpenSSL digest context (`EVP_MD_CTX`) for SHA-256, owned by one `SHA256` value at a time.
///
/// `@unchecked Sendable`, and safe: `SHA256` writes a context only while it holds the sole
/// reference (`isKnownUniquelyReferenced`, the copy-on-write check `Array` relies on across
/// threads); a shared context is only read, by `EVP_MD_CTX_copy_ex`, and OpenSSL contexts may be
/// read from several threads at once. The fetched algorithm is immutable and made to be shared.
private final class DigestContext: @unchecked Sendable {
    private let pointer: OpaquePointer

    init() {
        // Allocation fails only when memory does: nothing to hash with then.
        guard let pointer = EVP_MD_CTX_new(), EVP_DigestInit_ex(pointer, SHA256Algorithm.shared.pointer, nil) == 1 else {
            fatalError("OpenSSL could not set up a SHA-256 context (out of memory)")
        }
        self.pointer = pointer
    }

    private init(copying other: DigestContext) {
        guard let pointer = EVP_MD_CTX_new(), EVP_MD_CTX_copy_ex(pointer, other.pointer) == 1 else {
            fatalError("OpenSSL could not copy a SHA-256 context (out of memory)")
        }
        self.pointer = pointer
    }

    deinit { EVP_MD_CTX_free(pointer) }

    func copy() -> DigestContext { DigestContext(copying: self) }

    func update(_ bytes: UnsafeRawPointer, count: Int) {
        // SHA-256 cannot fail to take more bytes (below 2^61 of them).
        _ = EVP_DigestUpdate(pointer, bytes, count)
    }

    func finish() -> SHA256Digest {
        var bytes = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        _ = EVP_DigestFinal_ex(pointer, &bytes, &length)
        return SHA256Digest(bytes: bytes)
    }
}

/// SHA-256 fetched from OpenSSL's default provider once per process: `EVP_sha256()` at each
/// init would fetch it again every time.
private struct SHA256Algorithm: @unchecked Sendable {
    /// An `EVP_MD`: immutable once fetched, and OpenSSL's to share between threads.
    let pointer: OpaquePointer

    static let shared: SHA256Algorithm = {
        guard let pointer = EVP_MD_fetch(nil, "SHA256", nil) else {
            fatalError("OpenSSL's default provider has no SHA-256; libcrypto is not usable")
        }
        return SHA256Algorithm(pointer: pointer)
    }()
}

/// A SHA-256 digest: 32 bytes, usable wherever bytes are (`Data(digest)`, `digest.hexString`).
public struct SHA256Digest: Sendable, Hashable, Sequence {
    public let bytes: [UInt8]

    public func makeIterator() -> IndexingIterator<[UInt8]> { bytes.makeIterator() }
    public var underestimatedCount: Int { bytes.count }
    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R? {
        try bytes.withUnsafeBufferPointer(body)
    }
}

/// HMAC-SHA256 (RFC 2104): webhook signatures and SigV4 signing keys.
public enum HMACSHA256 {
    /// The authentication code of `message` under `key`.
    public static func authenticationCode<M: DataProtocol, K: DataProtocol>(for message: M, key: K) -> SHA256Digest {
        var keyBytes = [UInt8](key)
        if keyBytes.count > 64 { keyBytes = SHA256.hash(data: keyBytes).bytes }
        keyBytes += repeatElement(0, count: 64 - keyBytes.count)
        var inner = SHA256()
        inner.update(data: keyBytes.map { $0 ^ 0x36 })
        inner.update(data: message)
        var outer = SHA256()
        outer.update(data: keyBytes.map { $0 ^ 0x5c })
        outer.update(data: inner.finalize().bytes)
        return outer.finalize()
    }
}
