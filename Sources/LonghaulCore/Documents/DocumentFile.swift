/// One entry found in a document folder: a file to read, or a path the scanner already refused.
///
/// The scanner reports problems it meets (a symlink loop, a link out of the folder, an unreadable
/// directory) as entries too, so that a batch can list every refusal next to every document.
public struct DocumentFile: Sendable, Hashable, CustomStringConvertible {
    /// What the scanner found at the path.
    public enum Status: Sendable, Hashable {
        /// A regular file (or a symlink to one inside the folder) of this size when scanned.
        case file(byteSize: Int64)
        /// Something that cannot become a document, and why.
        case refused(DocumentSkipReason)
    }

    /// The path relative to the scanned folder, with `/` separators: the document's name.
    public let relativePath: String
    /// The absolute path to open (through the symlink, when the entry is one).
    public let path: String
    /// Whether the entry is a file to read or an early refusal.
    public let status: Status

    /// An entry for `path`, named `relativePath` in results.
    ///
    /// Use it to read a single file without scanning: `DocumentFile(relativePath: "a.txt",
    /// path: "/data/a.txt", status: .file(byteSize: 0))`; the reader checks the file again anyway.
    public init(relativePath: String, path: String, status: Status) {
        self.relativePath = relativePath
        self.path = path
        self.status = status
    }

    /// `relativePath`, and the refusal when there is one.
    public var description: String {
        switch status {
        case .file: relativePath
        case .refused(let reason): "\(relativePath): \(reason)"
        }
    }
}
