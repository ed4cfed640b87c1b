/// The text of one document, ready to be stored and summarised.
public struct ExtractedDocument: Sendable, Hashable {
    /// The path relative to the scanned folder: the document's name.
    public let relativePath: String
    /// The extracted text, whitespace-normalised (see `TextNormalizer`), never empty.
    public let text: String
    /// The format the text was extracted from.
    public let format: DocumentFormat
    /// The size of the original file in bytes.
    public let byteSize: Int64
    /// The SHA-256 of the original file's bytes, as 64 lower-case hex digits: the content address.
    public let sha256: String

    /// A document; the reader makes these, tests and other sources may too.
    public init(relativePath: String, text: String, format: DocumentFormat, byteSize: Int64, sha256: String) {
        self.relativePath = relativePath
        self.text = text
        self.format = format
        self.byteSize = byteSize
        self.sha256 = sha256
    }

    /// The media type of the original file (`text/html`, `application/pdf`…).
    public var mediaType: String { format.mediaType }
}
