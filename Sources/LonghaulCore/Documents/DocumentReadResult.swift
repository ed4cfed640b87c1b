/// What reading one file gave: its text, or the reason it was skipped.
public enum DocumentReadResult: Sendable, Hashable {
    /// The file's text and identity.
    case document(ExtractedDocument)
    /// The file was refused, with a reason to show.
    case skipped(DocumentSkip)

    /// The path relative to the scanned folder, either way.
    public var relativePath: String {
        switch self {
        case .document(let document): document.relativePath
        case .skipped(let skip): skip.relativePath
        }
    }
}
