public import Foundation
public import LonghaulCore

#if canImport(Glibc)
import Glibc
#endif

/// A real folder under /tmp for one test, removed when the value goes away.
///
/// `mkdtemp` makes it mode 0700: call ``openToEveryone()`` when another user (the `postgres`
/// user of an embedded server, when tests run as root) must reach inside.
public final class TemporaryFolder: Sendable {
    /// The folder's absolute path.
    public let path: String

    /// Creates `/tmp/<prefix>-XXXXXX`.
    public init(prefix: String = "longhaul-documents") throws {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
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

    /// The absolute path of `relativePath` inside the folder.
    public func url(_ relativePath: String) -> URL {
        URL(fileURLWithPath: path + "/" + relativePath)
    }

    /// Writes `bytes` at `relativePath`, creating folders on the way; returns the absolute path.
    @discardableResult
    public func write(_ relativePath: String, bytes: [UInt8]) throws -> String {
        let full = path + "/" + relativePath
        let folder = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    /// Writes `text` as UTF-8 at `relativePath`; returns the absolute path.
    @discardableResult
    public func write(_ relativePath: String, _ text: String) throws -> String {
        try write(relativePath, bytes: Array(text.utf8))
    }

    /// Creates a subfolder (and its parents).
    public func makeFolder(_ relativePath: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + relativePath, withIntermediateDirectories: true)
    }

    /// Creates a symlink at `relativePath` that says `target`.
    public func link(_ relativePath: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path + "/" + relativePath, withDestinationPath: target)
    }

    /// The text of the file at `relativePath`, or nil when it does not exist or is not UTF-8.
    public func read(_ relativePath: String) -> String? {
        try? String(contentsOf: url(relativePath), encoding: .utf8)
    }

    /// Whether something exists at `relativePath`.
    public func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: path + "/" + relativePath)
    }

    /// Sets the folder itself to mode 0755, so that other users can reach inside.
    public func openToEveryone() {
        chmod(path, 0o755)
    }

    /// An entry for `relativePath`, as the scanner would list a regular file.
    public func file(_ relativePath: String) -> DocumentFile {
        DocumentFile(relativePath: relativePath, path: path + "/" + relativePath, status: .file(byteSize: 0))
    }
}
