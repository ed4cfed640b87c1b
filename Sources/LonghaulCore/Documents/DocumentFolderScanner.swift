public import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Walks a folder and lists the documents in it, in a stable order, for `longhaul batch DIR`.
///
/// Hidden files and folders (names starting with `.`) are skipped. Symlinks are followed when they
/// stay inside the folder; a link that leaves it, a broken link, and a link back to a folder that
/// contains it (a loop) come back as refused entries rather than being followed, so the walk
/// always ends. The walk is iterative (no recursion on directory depth) and uses `readdir` and
/// `fstatat` directly, which keeps 10,000 files well under a second.
public struct DocumentFolderScanner: Sendable {
    /// The folder to walk.
    public var folder: String
    /// Whether to descend into subfolders.
    public var recursive: Bool
    /// When not empty, only paths matching one of these are listed.
    public var include: [DocumentGlob]
    /// Paths matching one of these are left out (and excluded folders are not entered).
    public var exclude: [DocumentGlob]

    /// A scanner of `folder` (absolute or relative to the working directory).
    public init(folder: String, recursive: Bool = true, include: [DocumentGlob] = [], exclude: [DocumentGlob] = []) {
        self.folder = folder
        self.recursive = recursive
        self.include = include
        self.exclude = exclude
    }

    /// Walks the folder on a dispatch queue (directory reads block) and returns its entries sorted
    /// by relative path, byte-wise in UTF-8.
    public func scan(on queue: DispatchQueue = .global(qos: .utility)) async throws(DocumentScanError) -> [DocumentFile] {
        let result: Result<[DocumentFile], DocumentScanError> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.scanBlocking()) }
        }
        return try result.get()
    }

    /// The walk itself; blocks the calling thread.
    func scanBlocking() -> Result<[DocumentFile], DocumentScanError> {
        guard let rootPath = Self.realPath(folder) else {
            return .failure(DocumentScanError(folder: folder, reason: .unreadable(errno: errno)))
        }
        var rootStatus = stat()
        guard stat(rootPath, &rootStatus) == 0 else {
            return .failure(DocumentScanError(folder: folder, reason: .unreadable(errno: errno)))
        }
        guard rootStatus.st_mode & S_IFMT == S_IFDIR else {
            return .failure(DocumentScanError(folder: folder, reason: .notRegularFile))
        }
        var walk = Walk(scanner: self, rootPath: rootPath)
        var pending = [Walk.Folder(path: rootPath, relativePath: "", ancestors: [FileIdentity(rootStatus)])]
        while let directory = pending.popLast() {
            if let failure = walk.list(directory, into: &pending) {
                if directory.relativePath.isEmpty {
                    return .failure(DocumentScanError(folder: folder, reason: failure))
                }
                walk.add(directory.relativePath, path: directory.path, .refused(failure))
            }
        }
        return .success(walk.entries.sorted { Self.precedesBytewise($0.relativePath, $1.relativePath) })
    }

    /// Byte-wise order of two paths' UTF-8, compared in place with `memcmp`: element by element
    /// through the `utf8` views, sorting 100,000 paths was 2.6 % of `longhaul batch`'s CPU, all of
    /// it before the first file is read.
    static func precedesBytewise(_ first: String, _ second: String) -> Bool {
        let order = first.utf8.withContiguousStorageIfAvailable { a in
            second.utf8.withContiguousStorageIfAvailable { b -> Bool in
                let common = min(a.count, b.count)
                guard common > 0, let left = a.baseAddress, let right = b.baseAddress else { return a.count < b.count }
                let compared = memcmp(left, right, common)
                return compared == 0 ? a.count < b.count : compared < 0
            }
        }
        return (order ?? nil) ?? first.utf8.lexicographicallyPrecedes(second.utf8)
    }

    fileprivate func isListed(_ relativePath: String) -> Bool {
        (include.isEmpty || include.contains { $0.matches(relativePath) })
            && !exclude.contains { $0.matches(relativePath) }
    }

    fileprivate func isEntered(_ relativePath: String) -> Bool {
        !exclude.contains { $0.coversDirectory(relativePath) }
    }

    /// `realpath(3)`: the absolute path with every symlink resolved, or `nil` with `errno` set.
    fileprivate static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// A file's device and inode: what makes two paths the same directory.
private struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64

    init(_ status: stat) {
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}

/// The state of one scan: the entries found so far.
private struct Walk {
    /// A directory waiting to be listed, with the identities of itself and every folder above it,
    /// which is how a symlink back up the tree is recognised as a loop.
    struct Folder {
        let path: String
        let relativePath: String
        let ancestors: [FileIdentity]
    }

    let scanner: DocumentFolderScanner
    let rootPath: String
    var entries: [DocumentFile] = []

    init(scanner: DocumentFolderScanner, rootPath: String) {
        self.scanner = scanner
        self.rootPath = rootPath
    }

    mutating func add(_ relativePath: String, path: String, _ status: DocumentFile.Status) {
        if scanner.isListed(relativePath) {
            entries.append(DocumentFile(relativePath: relativePath, path: path, status: status))
        }
    }

    /// A file name that is not UTF-8, readable: printable ASCII as it is, every other byte `\xNN`.
    static func escapedName(_ bytes: some Sequence<UInt8>) -> String {
        var text = ""
        for byte in bytes {
            if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\\") {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += "\\x" + [byte].hexString.uppercased()
            }
        }
        return text
    }

    /// Lists one directory: files become entries, subfolders are appended to `pending`. Returns
    /// why the directory itself cannot be read, if it cannot.
    mutating func list(_ folder: Folder, into pending: inout [Folder]) -> DocumentSkipReason? {
        guard let directory = opendir(folder.path) else { return .unreadable(errno: errno) }
        defer { closedir(directory) }
        let directoryDescriptor = dirfd(directory)
        while let entry = readdir(directory) {
            let name: String? = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                    String(validatingCString: $0)
                }
            }
            let rawFirstByte = withUnsafeBytes(of: &entry.pointee.d_name) { $0.first ?? 0 }
            if rawFirstByte == UInt8(ascii: ".") { continue }  // ".", ".." and hidden entries
            let path: String
            let relativePath: String
            guard let name else {
                // Not UTF-8: the name cannot be stored or shown faithfully, so it is only reported,
                // under its bytes with the ones outside printable ASCII escaped (`caf\xE9.txt`), so
                // two such files stay apart and the user can find each.
                let escaped = withUnsafeBytes(of: &entry.pointee.d_name) { Self.escapedName($0.prefix { $0 != 0 }) }
                relativePath = Self.join(folder.relativePath, escaped)
                add(relativePath, path: folder.path, .refused(.invalidFileName))
                continue
            }
            path = folder.path == "/" ? "/" + name : folder.path + "/" + name
            relativePath = Self.join(folder.relativePath, name)
            var status = stat()
            guard fstatat(directoryDescriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else {
                add(relativePath, path: path, .refused(.unreadable(errno: errno)))
                continue
            }
            switch status.st_mode & S_IFMT {
            case S_IFREG:
                add(relativePath, path: path, .file(byteSize: Int64(status.st_size)))
            case S_IFDIR:
                enter(path, relativePath: relativePath, status: status, from: folder, into: &pending)
            case S_IFLNK:
                follow(path, relativePath: relativePath, from: folder, into: &pending)
            default:
                add(relativePath, path: path, .refused(.notRegularFile))
            }
        }
        return nil
    }

    /// Queues a subfolder, unless the scan is flat, an exclude pattern covers it, or it is one of
    /// its own ancestors (only possible through a symlink or a bind mount).
    private mutating func enter(
        _ path: String, relativePath: String, status: stat, from parent: Folder, into pending: inout [Folder]
    ) {
        guard scanner.recursive, scanner.isEntered(relativePath) else { return }
        let identity = FileIdentity(status)
        if parent.ancestors.contains(identity) {
            add(relativePath, path: path, .refused(.symlinkLoop))
            return
        }
        pending.append(Folder(path: path, relativePath: relativePath, ancestors: parent.ancestors + [identity]))
    }

    /// Resolves a symlink and treats it as what it points to, if that is inside the folder.
    private mutating func follow(_ path: String, relativePath: String, from parent: Folder, into pending: inout [Folder]) {
        guard let target = DocumentFolderScanner.realPath(path) else {
            let code = errno
            switch code {
            case ELOOP: add(relativePath, path: path, .refused(.symlinkLoop))
            case ENOENT: add(relativePath, path: path, .refused(.brokenSymlink(target: Self.linkText(path))))
            default: add(relativePath, path: path, .refused(.unreadable(errno: code)))
            }
            return
        }
        let inside = rootPath == "/" || target == rootPath || target.hasPrefix(rootPath + "/")
        guard inside else {
            add(relativePath, path: path, .refused(.symlinkOutsideFolder(target: Self.linkText(path))))
            return
        }
        var status = stat()
        guard stat(target, &status) == 0 else {
            add(relativePath, path: path, .refused(.unreadable(errno: errno)))
            return
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            add(relativePath, path: path, .file(byteSize: Int64(status.st_size)))
        case S_IFDIR:
            enter(path, relativePath: relativePath, status: status, from: parent, into: &pending)
        default:
            add(relativePath, path: path, .refused(.notRegularFile))
        }
    }

    /// What a symlink says (`readlink(2)`), for messages.
    private static func linkText(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink(path, &buffer, 4096)
        guard count > 0 else { return "?" }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func join(_ folder: String, _ name: String) -> String {
        folder.isEmpty ? name : folder + "/" + name
    }
}
