/// Collects the header fields of the final response from the lines libcurl's header callback
/// delivers, one line per call.
///
/// libcurl reports every response head it sees: interim `1xx` heads (`100 Continue`) come before
/// the final one, and trailers of a chunked body come after it. A status line therefore starts a
/// fresh set of fields, and lines after the final head's blank line are ignored. Works on bytes:
/// it runs for every header line of every response, on the owner thread.
struct ResponseHeadParser {
    private enum State {
        case awaitingStatusLine
        case readingFields
        case headComplete
    }

    private var state = State.awaitingStatusLine
    /// The fields of the most recent response head.
    private(set) var headers = HTTPHeaders()

    /// Whether the blank line ending the most recent head has arrived (an interim `1xx` head
    /// completes too; the caller checks the status).
    var isComplete: Bool {
        if case .headComplete = state { return true }
        return false
    }

    /// Feeds one raw header line, with or without its trailing CRLF.
    mutating func consume(line raw: UnsafeRawBufferPointer) {
        var line = raw[...]
        while let last = line.last, last == .cr || last == .lf { line = line.dropLast() }
        if line.starts(with: Self.statusLinePrefix) {
            headers = HTTPHeaders()
            state = .readingFields
            return
        }
        guard case .readingFields = state else { return }
        if line.isEmpty {
            state = .headComplete
        } else if let first = line.first, first.isOptionalWhitespace {
            // obs-fold: a continuation of the previous field's value.
            headers.appendToLastValue(" " + String(decoding: line.trimmingOptionalWhitespace(), as: UTF8.self))
        } else if let colon = line.firstIndex(of: .colon) {
            let name = line[..<colon].trimmingOptionalWhitespace()
            guard !name.isEmpty else { return }
            let value = line[line.index(after: colon)...].trimmingOptionalWhitespace()
            headers.add(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
        }
    }

    private static let statusLinePrefix = Array("HTTP/".utf8)
}

extension UInt8 {
    fileprivate static let cr = UInt8(ascii: "\r")
    fileprivate static let lf = UInt8(ascii: "\n")
    fileprivate static let colon = UInt8(ascii: ":")
    fileprivate var isOptionalWhitespace: Bool { self == UInt8(ascii: " ") || self == UInt8(ascii: "\t") }
}

extension Slice<UnsafeRawBufferPointer> {
    /// Strips the spaces and tabs HTTP allows around a field value.
    fileprivate func trimmingOptionalWhitespace() -> Self {
        var trimmed = self
        while let first = trimmed.first, first.isOptionalWhitespace { trimmed = trimmed.dropFirst() }
        while let last = trimmed.last, last.isOptionalWhitespace { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
