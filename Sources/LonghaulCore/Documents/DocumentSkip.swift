/// A path that did not become a document, and why.
public struct DocumentSkip: Sendable, Hashable, Error, CustomStringConvertible {
    /// The path relative to the scanned folder.
    public let relativePath: String
    /// Why it was refused.
    public let reason: DocumentSkipReason

    /// A refusal of `relativePath` for `reason`.
    public init(relativePath: String, reason: DocumentSkipReason) {
        self.relativePath = relativePath
        self.reason = reason
    }

    /// `"reports/q3.xlsx: unsupported file type .xlsx"`.
    public var description: String { "\(relativePath): \(reason)" }
}
