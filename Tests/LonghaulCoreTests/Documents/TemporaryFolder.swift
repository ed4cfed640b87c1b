import Foundation
import LonghaulCore

#if canImport(Glibc)
import Glibc
#endif

/// A real folder under /tmp for one test, removed when the value goes away.
final class TemporaryFolder: Sendable {
    let path: String

    init() throws {
        var template = Array("/tmp/longhaul-documents-XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        path = String(cString: created)
    }

    deinit {
        // chmod 000 entries made by tests must become removable again.
        _ = try? FileManager.default.subpathsOfDirectory(atPath: path).forEach {
            chmod(path + "/" + $0, 0o755)
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `bytes` at `relativePath`, creating folders on the way; returns the absolute path.
    @discardableResult
    func write(_ relativePath: String, bytes: [UInt8]) throws -> String {
        let full = path + "/" + relativePath
        let folder = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    @discardableResult
    func write(_ relativePath: String, _ text: String) throws -> String {
        try write(relativePath, bytes: Array(text.utf8))
    }

    func makeFolder(_ relativePath: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + relativePath, withIntermediateDirectories: true)
    }

    func link(_ relativePath: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path + "/" + relativePath, withDestinationPath: target)
    }

    /// An entry for `relativePath`, as the scanner would list a regular file.
    func file(_ relativePath: String) -> DocumentFile {
        DocumentFile(relativePath: relativePath, path: path + "/" + relativePath, status: .file(byteSize: 0))
    }
}
