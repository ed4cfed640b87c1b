import Foundation

/// Turns the bytes of a `text/event-stream` body into `ServerSentEvent`s, whatever the chunk
/// boundaries: a line, a CRLF or a UTF-8 character may be split across two network reads.
///
/// Follows the WHATWG parsing rules: lines end in CRLF, LF or CR; `:` starts a comment (OpenAI
/// and Anthropic send none, but proxies send keep-alive comments); one space after the colon is
/// dropped; a blank line dispatches the event, and one with no `data` is dropped; an unknown
/// field is ignored. An event not closed by a blank line when the body ends is discarded
/// (`pendingBytes` tells a caller the stream was cut inside one).
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    /// The previous chunk ended in CR: a LF starting the next one belongs to that line break.
    private var skipLineFeed = false
    private var eventName = ""
    private var data: [String] = []
    private var hasData = false
    private var lastID: String?

    public init() {}

    /// Feeds the next bytes; returns the events they complete.
    public mutating func consume(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if skipLineFeed {
                skipLineFeed = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0D:
                skipLineFeed = true
                if let event = endLine() { events.append(event) }
            case 0x0A:
                if let event = endLine() { events.append(event) }
            default:
                line.append(byte)
            }
        }
        return events
    }

    /// Bytes received since the last complete event: non-zero when the body was cut inside one.
    public var hasPartialEvent: Bool { !line.isEmpty || hasData || !eventName.isEmpty }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else { return dispatch() }
        if line[0] == UInt8(ascii: ":") { return nil }  // a comment
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let name = String(decoding: line[..<(colon ?? line.endIndex)], as: UTF8.self)
        var valueStart = colon.map { $0 + 1 } ?? line.endIndex
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = String(decoding: line[valueStart...], as: UTF8.self)
        switch name {
        case "event": eventName = value
        case "data":
            data.append(value)
            hasData = true
        case "id" where !value.contains("\0"): lastID = value
        default: break  // `retry` and unknown fields: nothing for us to do
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            eventName = ""
            data.removeAll(keepingCapacity: true)
            hasData = false
        }
        guard hasData else { return nil }
        return ServerSentEvent(event: eventName.isEmpty ? "message" : eventName, data: data.joined(separator: "\n"), id: lastID)
    }
}
