/// The kinds of document the reader can turn into text, detected from the file's extension.
///
/// Detection is by name only: content sniffing happens later, when the reader decides whether a
/// text file is really text. A file without an extension is read as plain text.
public enum DocumentFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `.txt`, `.text`, or no extension at all.
    case plainText
    /// `.md`, `.markdown`.
    case markdown
    /// `.rst`.
    case reStructuredText
    /// `.csv`, kept as it is.
    case csv
    /// `.json`, validated and kept as it is.
    case json
    /// `.html`, `.htm`, `.xhtml`: reduced to its visible text.
    case html
    /// `.pdf`, through `pdftotext` (Debian package poppler-utils).
    case pdf
    /// `.docx`, the text of `word/document.xml` through `unzip` (Debian package unzip).
    case docx

    /// The format for a file name or relative path, or `nil` when its extension is not supported.
    public init?(fileName: String) {
        guard let fileExtension = Self.fileExtension(of: fileName) else {
            self = .plainText
            return
        }
        switch fileExtension.lowercased() {
        case "txt", "text": self = .plainText
        case "md", "markdown": self = .markdown
        case "rst": self = .reStructuredText
        case "csv": self = .csv
        case "json": self = .json
        case "html", "htm", "xhtml": self = .html
        case "pdf": self = .pdf
        case "docx": self = .docx
        default: return nil
        }
    }

    /// The extension of the last path component without its dot (`"xlsx"`), or `nil` when it has
    /// none; a leading dot (`.profile`) does not start an extension.
    public static func fileExtension(of fileName: String) -> String? {
        // The text after the last slash, found from the end: splitting the whole path was 2 % of
        // `longhaul batch`'s CPU on a folder of 100,000 small files (every file's format is asked twice).
        let lastComponent = fileName[(fileName.lastIndex(of: "/").map { fileName.index(after: $0) } ?? fileName.startIndex)...]
        guard let dot = lastComponent.lastIndex(of: "."), dot != lastComponent.startIndex else {
            return nil
        }
        let fileExtension = lastComponent[lastComponent.index(after: dot)...]
        return fileExtension.isEmpty ? nil : String(fileExtension)
    }

    /// The IANA media type stored with the document.
    public var mediaType: String {
        switch self {
        case .plainText: "text/plain"
        case .markdown: "text/markdown"
        case .reStructuredText: "text/x-rst"
        case .csv: "text/csv"
        case .json: "application/json"
        case .html: "text/html"
        case .pdf: "application/pdf"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        }
    }

    /// Whether the file's bytes are themselves text (decoded and checked for binary content), as
    /// opposed to a container that an external tool opens.
    public var isTextFile: Bool {
        switch self {
        case .plainText, .markdown, .reStructuredText, .csv, .json, .html: true
        case .pdf, .docx: false
        }
    }

    /// A short name for messages: `"PDF"`, `"DOCX"`, `"Markdown"`.
    public var description: String {
        switch self {
        case .plainText: "plain text"
        case .markdown: "Markdown"
        case .reStructuredText: "reStructuredText"
        case .csv: "CSV"
        case .json: "JSON"
        case .html: "HTML"
        case .pdf: "PDF"
        case .docx: "DOCX"
        }
    }
}
