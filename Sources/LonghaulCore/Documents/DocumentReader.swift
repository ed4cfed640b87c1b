import Dispatch
import Foundation

/// Turns one file into an `ExtractedDocument`, or into a `DocumentSkip` that says why not.
///
/// Reading never throws: every failure is a skip with a reason, so a batch can report all of them
/// and go on. File reads, hashing and parsing run on the reader's own dispatch queue; PDF and DOCX
/// go through `pdftotext` and `unzip`, whose exits are awaited without blocking a thread. Sizes
/// are checked before anything is read.
public struct DocumentReader: Sendable {
    /// How much the reader accepts.
    public struct Limits: Sendable, Hashable {
        /// The largest file opened at all, checked with `fstat` before reading (default 100 MB).
        /// A text-type file (`.txt`, `.md`, `.html`…) must also be under twice `maxTextBytes`,
        /// since its text could not fit otherwise.
        public var maxFileBytes: Int64
        /// The most UTF-8 text one document may yield after extraction (default 32 MiB, what a job takes).
        public var maxTextBytes: Int
        /// The most output an external tool may write before it is stopped (default 64 MB; the
        /// XML of a DOCX is several times larger than its text).
        public var maxToolOutputBytes: Int

        /// Limits with the defaults above, or others.
        public init(maxFileBytes: Int64 = 100_000_000, maxTextBytes: Int = 32 << 20, maxToolOutputBytes: Int = 64_000_000) {
            self.maxFileBytes = maxFileBytes
            self.maxTextBytes = maxTextBytes
            self.maxToolOutputBytes = maxToolOutputBytes
        }
    }

    /// The external programs used for PDF and DOCX, and how long each may run.
    public struct Tools: Sendable, Hashable {
        /// `pdftotext` from poppler-utils: a name looked up in `PATH`, or a path.
        public var pdftotext: String
        /// `unzip`: a name looked up in `PATH`, or a path.
        public var unzip: String
        /// How long one run may take before it is killed (default 120 s).
        public var timeout: Duration

        /// Tools found in `PATH`, or others.
        public init(pdftotext: String = "pdftotext", unzip: String = "unzip", timeout: Duration = .seconds(120)) {
            self.pdftotext = pdftotext
            self.unzip = unzip
            self.timeout = timeout
        }
    }

    /// The limits in force.
    public let limits: Limits
    /// The tools in use.
    public let tools: Tools
    private let queue: DispatchQueue

    /// A reader with `limits` and `tools`; its blocking work runs on a queue of its own.
    public init(limits: Limits = Limits(), tools: Tools = Tools()) {
        self.limits = limits
        self.tools = tools
        queue = DispatchQueue(label: "longhaul.documents.reader", qos: .utility, attributes: .concurrent)
    }

    /// Reads `file`: its text and identity, or why it is skipped.
    public func read(_ file: DocumentFile) async -> DocumentReadResult {
        let outcome: Result<ExtractedDocument, DocumentSkipReason>
        if case .refused(let reason) = file.status {
            outcome = .failure(reason)
        } else if let format = DocumentFormat(fileName: file.relativePath) {
            switch format {
            case .pdf: outcome = await readPDF(file)
            case .docx: outcome = await readWordDocument(file)
            default: outcome = await onQueue { readTextFile(file, format: format) }
            }
        } else {
            outcome = .failure(.unsupportedType(fileExtension: DocumentFormat.fileExtension(of: file.relativePath) ?? ""))
        }
        switch outcome {
        case .success(let document): return .document(document)
        case .failure(let reason): return .skipped(DocumentSkip(relativePath: file.relativePath, reason: reason))
        }
    }

    /// Text, Markdown, reStructuredText, CSV, JSON and HTML: the file is the text. Blocks.
    private func readTextFile(_ file: DocumentFile, format: DocumentFormat) -> Result<ExtractedDocument, DocumentSkipReason> {
        // UTF-16 is the most compact text encoding we accept (two bytes for one of UTF-8), so a
        // larger file cannot fit the text limit and is refused unread; HTML can shrink more.
        let textFileLimit = format == .html ? limits.maxFileBytes : min(limits.maxFileBytes, 2 * Int64(limits.maxTextBytes) + 2)
        return DocumentFileContents.readAll(file.path, limit: textFileLimit).flatMap { bytes, identity in
            DocumentTextDecoder.decode(bytes).flatMap { decoded in
                switch format {
                case .html:
                    return .success(HTMLTextExtractor.extract(decoded))
                case .json:
                    return Self.validateJSON(decoded).map { decoded }
                default:
                    return .success(decoded)
                }
            }
            .flatMap { document(file, format: format, identity: identity, text: $0) }
        }
    }

    private func readPDF(_ file: DocumentFile) async -> Result<ExtractedDocument, DocumentSkipReason> {
        let tool = ExternalTool(name: "pdftotext", debianPackage: "poppler-utils", executable: tools.pdftotext)
        // Reading order rather than `-layout`: columns come out one after the other, which is
        // what a summariser needs; `-` sends the text to standard output.
        return await extract(file, format: .pdf, tool: tool, arguments: ["-enc", "UTF-8", Self.argument(file.path), "-"]) { status, output, message in
            guard status == 0 else { return .failure(.toolFailed(tool: tool.name, exitStatus: status, message: message)) }
            return .success(PDFPageCleaner.clean(String(decoding: output, as: UTF8.self)))
        }
    }

    private func readWordDocument(_ file: DocumentFile) async -> Result<ExtractedDocument, DocumentSkipReason> {
        let tool = ExternalTool(name: "unzip", debianPackage: "unzip", executable: tools.unzip)
        return await extract(file, format: .docx, tool: tool, arguments: ["-p", Self.argument(file.path), "word/document.xml"]) { status, output, message in
            // unzip's documented exit statuses: 9 "not a zip file", 11 "no matching files".
            switch status {
            case 0: return .success(WordDocumentTextExtractor.extract(output))
            case 9: return .failure(.malformed(.docx, detail: "it is not a ZIP archive"))
            case 11: return .failure(.malformed(.docx, detail: "it has no word/document.xml"))
            default: return .failure(.toolFailed(tool: tool.name, exitStatus: status, message: message))
            }
        }
    }

    /// Hashes the file, runs `tool`, and turns its output into text with `interpret`.
    private func extract(
        _ file: DocumentFile, format: DocumentFormat, tool: ExternalTool, arguments: [String],
        interpret: @Sendable (Int32, [UInt8], String) -> Result<String, DocumentSkipReason>
    ) async -> Result<ExtractedDocument, DocumentSkipReason> {
        let limit = limits.maxFileBytes
        let identity: DocumentFileContents.Identity
        switch await onQueue({ DocumentFileContents.identity(file.path, limit: limit) }) {
        case .success(let value): identity = value
        case .failure(let reason): return .failure(reason)
        }
        let outcome = await tool.run(arguments: arguments, timeout: tools.timeout, outputLimit: limits.maxToolOutputBytes, queue: queue)
        let text: Result<String, DocumentSkipReason>
        switch outcome {
        case .exited(let status, let output, let errorOutput):
            text = interpret(status, output, Self.firstLine(errorOutput))
        case .missing:
            text = .failure(.toolMissing(tool: tool.name, debianPackage: tool.debianPackage))
        case .timedOut:
            text = .failure(.toolTimedOut(tool: tool.name, timeout: tools.timeout))
        case .outputTooLarge:
            text = .failure(.toolOutputTooLarge(tool: tool.name, limit: limits.maxToolOutputBytes))
        case .cancelled:
            text = .failure(.cancelled)
        case .launchFailed(let message):
            text = .failure(.toolFailed(tool: tool.name, exitStatus: -1, message: message))
        }
        return await onQueue { text.flatMap { document(file, format: format, identity: identity, text: $0) } }
    }

    /// The final steps for every format: normalise, then check the text is there and fits.
    private func document(
        _ file: DocumentFile, format: DocumentFormat, identity: DocumentFileContents.Identity, text: String
    ) -> Result<ExtractedDocument, DocumentSkipReason> {
        let normalized = TextNormalizer.normalize(text)
        guard !normalized.isEmpty else { return .failure(.noText) }
        guard normalized.utf8.count <= limits.maxTextBytes else {
            return .failure(.textTooLarge(byteSize: normalized.utf8.count, limit: limits.maxTextBytes))
        }
        return .success(
            ExtractedDocument(
                relativePath: file.relativePath, text: normalized, format: format,
                byteSize: identity.byteSize, sha256: identity.sha256))
    }

    private static func validateJSON(_ text: String) -> Result<Void, DocumentSkipReason> {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            return .success(())
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return .failure(.invalidJSON(detail: detail ?? "it does not parse"))
        }
    }

    /// The first non-empty line a tool wrote to standard error, shortened for a message.
    private static func firstLine(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let line = text.split(whereSeparator: \.isNewline).first { !$0.allSatisfy(\.isWhitespace) } ?? ""
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count > 300 ? String(trimmed.prefix(300)) + "…" : trimmed
    }

    /// A path as a command-line argument: one starting with `-` would be read as an option.
    private static func argument(_ path: String) -> String {
        path.hasPrefix("-") ? "./" + path : path
    }

    private func onQueue<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}
