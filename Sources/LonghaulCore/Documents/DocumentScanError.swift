/// The folder itself cannot be scanned (problems below it become refused entries instead).
public struct DocumentScanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The folder as given.
    public let folder: String
    /// Why it cannot be scanned.
    public let reason: DocumentSkipReason

    /// `"cannot scan ./docs: unreadable: no such file or directory"`.
    public var description: String {
        switch reason {
        case .notRegularFile: "cannot scan \(folder): it is not a folder; pass a directory"
        default: "cannot scan \(folder): \(reason); pass a readable directory"
        }
    }
}
