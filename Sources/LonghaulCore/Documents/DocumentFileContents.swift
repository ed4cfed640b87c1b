import Hashing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Blocking reads of a document file, with the checks that come before reading: it is a regular
/// file, it is not empty, it is within the size limit. Call only from a thread of your own (the
/// reader uses a dispatch queue), never from Swift's cooperative pool.
struct DocumentFileContents {
    /// The file's size and the SHA-256 of its bytes, as lower-case hex.
    struct Identity {
        let byteSize: Int64
        let sha256: String
    }

    /// How much is read per `read(2)` call when hashing a file that is not kept.
    private static let chunkSize = 1 << 20

    /// The whole file, once its size is known to be at most `limit`.
    static func readAll(_ path: String, limit: Int64) -> Result<(bytes: [UInt8], identity: Identity), DocumentSkipReason> {
        withOpenFile(path, limit: limit) { descriptor, size in
            var bytes = [UInt8](repeating: 0, count: Int(size))
            var filled = 0
            while filled < bytes.count {
                let count = bytes.withUnsafeMutableBytes { buffer in
                    buffer.baseAddress.map { read(descriptor, $0 + filled, buffer.count - filled) } ?? 0
                }
                if count < 0 {
                    if errno == EINTR { continue }
                    return .failure(.unreadable(errno: errno))
                }
                if count == 0 { break }  // the file shrank since fstat; keep what is there
                filled += count
            }
            bytes.removeSubrange(filled...)
            if bytes.isEmpty { return .failure(.empty) }
            return .success((bytes, Identity(byteSize: Int64(filled), sha256: SHA256.hash(data: bytes).hexString)))
        }
    }

    /// The file's size and hash, read in chunks so that a 100 MB PDF is never held in memory.
    static func identity(_ path: String, limit: Int64) -> Result<Identity, DocumentSkipReason> {
        withOpenFile(path, limit: limit) { descriptor, _ in
            var hasher = SHA256()
            var chunk = [UInt8](repeating: 0, count: chunkSize)
            var total: Int64 = 0
            while true {
                let count = chunk.withUnsafeMutableBytes { buffer in
                    buffer.baseAddress.map { read(descriptor, $0, buffer.count) } ?? 0
                }
                if count < 0 {
                    if errno == EINTR { continue }
                    return .failure(.unreadable(errno: errno))
                }
                if count == 0 { break }
                hasher.update(data: chunk[..<count])
                total += Int64(count)
            }
            if total == 0 { return .failure(.empty) }
            return .success(Identity(byteSize: total, sha256: hasher.finalize().hexString))
        }
    }

    /// Opens `path` (following symlinks; `O_NONBLOCK` so that a FIFO swapped in cannot hang the
    /// open), checks what it is, and hands the descriptor and size to `body`.
    private static func withOpenFile<T>(
        _ path: String, limit: Int64, _ body: (Int32, Int64) -> Result<T, DocumentSkipReason>
    ) -> Result<T, DocumentSkipReason> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            let code = errno
            return .failure(code == ELOOP ? .symlinkLoop : .unreadable(errno: code))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(.unreadable(errno: errno)) }
        guard status.st_mode & S_IFMT == S_IFREG else { return .failure(.notRegularFile) }
        let size = Int64(status.st_size)
        guard size > 0 else { return .failure(.empty) }
        guard size <= limit else { return .failure(.fileTooLarge(byteSize: size, limit: limit)) }
        return body(descriptor, size)
    }
}
