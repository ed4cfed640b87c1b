#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a path did not become a document, with a message a person can act on.
///
/// `description` is the message ("binary file (NUL byte at offset 512)"); the cases carry the
/// details so that callers can count refusals by kind without parsing text.
public enum DocumentSkipReason: Error, Sendable, Hashable, CustomStringConvertible {
    /// The evidence that a file meant to be text is binary.
    public enum BinaryEvidence: Sendable, Hashable {
        /// A NUL byte (or NUL code unit in UTF-16) at this byte offset.
        case nulByte(offset: Int)
        /// This many control characters among the first `sampleSize` bytes.
        case controlCharacters(count: Int, sampleSize: Int)
    }

    /// A file of zero bytes.
    case empty
    /// A text-type file whose content is binary.
    case binary(BinaryEvidence)
    /// Bytes that are not valid in `encoding`, starting at `byteOffset` in the file.
    case invalidEncoding(DocumentTextEncoding, byteOffset: Int, byteOrderMark: Bool)
    /// An extension the reader does not handle (without its dot).
    case unsupportedType(fileExtension: String)
    /// A file over the size limit; checked before reading.
    case fileTooLarge(byteSize: Int64, limit: Int64)
    /// Extracted text over the text limit.
    case textTooLarge(byteSize: Int, limit: Int)
    /// An external tool wrote more than `limit` bytes, and was stopped.
    case toolOutputTooLarge(tool: String, limit: Int)
    /// The file or directory could not be opened or read; `errno` says why.
    case unreadable(errno: Int32)
    /// A device, named pipe or socket.
    case notRegularFile
    /// A symlink that leads back to itself or to a folder that contains it.
    case symlinkLoop
    /// A symlink that resolves to a place outside the scanned folder.
    case symlinkOutsideFolder(target: String)
    /// A symlink whose target does not exist.
    case brokenSymlink(target: String)
    /// A file name that is not valid UTF-8, which cannot be stored as a document name.
    case invalidFileName
    /// A `.json` file that does not parse.
    case invalidJSON(detail: String)
    /// A file of the right extension but not the right structure.
    case malformed(DocumentFormat, detail: String)
    /// The external tool needed for the format is not installed.
    case toolMissing(tool: String, debianPackage: String)
    /// The external tool exited unsuccessfully.
    case toolFailed(tool: String, exitStatus: Int32, message: String)
    /// The external tool ran longer than allowed and was killed.
    case toolTimedOut(tool: String, timeout: Duration)
    /// The reading task was cancelled (an external tool still running is killed).
    case cancelled
    /// Extraction succeeded but left no text (a scanned PDF, an HTML page of scripts).
    case noText

    /// The message shown to people.
    public var description: String {
        switch self {
        case .empty:
            return "empty file"
        case .binary(.nulByte(let offset)):
            return "binary file (NUL byte at offset \(offset))"
        case .binary(.controlCharacters(let count, let sampleSize)):
            return "binary file (\(count) control characters in the first \(sampleSize) bytes)"
        case .invalidEncoding(let encoding, let byteOffset, let byteOrderMark):
            let bom = byteOrderMark ? "after a \(encoding) byte order mark" : "and no BOM"
            return "not valid \(encoding) at byte \(byteOffset) \(bom)"
        case .unsupportedType(let fileExtension):
            return "unsupported file type .\(fileExtension)"
        case .fileTooLarge(let byteSize, let limit):
            let (size, maximum) = ByteCount.distinct(byteSize, limit)
            return "too large: \(size), the limit is \(maximum)"
        case .textTooLarge(let byteSize, let limit):
            let (size, maximum) = ByteCount.distinct(Int64(byteSize), Int64(limit))
            return "too much text: \(size) after extraction, the limit is \(maximum)"
        case .toolOutputTooLarge(let tool, let limit):
            return "\(tool) wrote more than \(ByteCount(Int64(limit))) and was stopped"
        case .unreadable(let code):
            return "unreadable: \(Self.errorMessage(code))"
        case .notRegularFile:
            return "not a regular file (a device, pipe or socket)"
        case .symlinkLoop:
            return "symlink loop"
        case .symlinkOutsideFolder(let target):
            return "symlink to outside the folder (\(target))"
        case .brokenSymlink(let target):
            return "broken symlink (\(target) does not exist)"
        case .invalidFileName:
            return "file name is not valid UTF-8"
        case .invalidJSON(let detail):
            return "invalid JSON: \(detail)"
        case .malformed(let format, let detail):
            return "not a valid \(format) file: \(detail)"
        case .toolMissing(let tool, let debianPackage):
            return "\(tool) is not installed: install the Debian package \(debianPackage) (apt-get install \(debianPackage))"
        case .toolFailed(let tool, let exitStatus, let message):
            return message.isEmpty
                ? "\(tool) failed with exit status \(exitStatus)"
                : "\(tool) failed: \(message) (exit status \(exitStatus))"
        case .toolTimedOut(let tool, let timeout):
            let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
            let seconds = milliseconds % 1000 == 0 ? "\(milliseconds / 1000)" : "\(Double(milliseconds) / 1000)"
            return "\(tool) ran for more than \(seconds) s and was stopped"
        case .cancelled:
            return "reading was cancelled"
        case .noText:
            return "no text after extraction"
        }
    }

    /// `strerror`'s text in lower case ("permission denied"), as it reads inside a sentence.
    private static func errorMessage(_ code: Int32) -> String {
        guard let message = strerror(code) else { return "error \(code)" }
        let text = String(cString: message)
        guard let first = text.first else { return "error \(code)" }
        return first.lowercased() + text.dropFirst()
    }
}
