import Foundation

/// Splits the bytes of an AWS event stream into `EventStreamMessage`s, whatever the chunk
/// boundaries, checking both CRC32s of every frame.
///
/// A frame: total length (4 bytes, big-endian), headers length (4), CRC32 of those 8 bytes (4),
/// the headers, the payload, CRC32 of everything before it (4). A header: name length (1), name,
/// value type (1), value (types 0-9 of the AWS event-stream encoding). A frame whose lengths or
/// CRCs are wrong makes the stream unreadable from there on: `consume` throws and the caller
/// treats the stream as cut.
public struct EventStreamDecoder: Sendable {
    /// Why the bytes are not an event stream.
    public struct FormatError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// The smallest frame: prelude (12) and message CRC (4). AWS caps a frame at 16 MiB.
    static let minimumFrame = 16
    static let maximumFrame = 16 << 20

    private var buffer: [UInt8] = []

    public init() {}

    /// Whether bytes of an unfinished frame are waiting: the stream was cut inside a frame if it
    /// ends now.
    public var hasPartialFrame: Bool { !buffer.isEmpty }

    /// Feeds the next bytes; returns the messages they complete.
    public mutating func consume(_ bytes: some Sequence<UInt8>) throws(FormatError) -> [EventStreamMessage] {
        buffer.append(contentsOf: bytes)
        var messages: [EventStreamMessage] = []
        var start = 0
        while buffer.count - start >= 12 {
            let total = Int(buffer.bigEndianUInt32(at: start))
            let headersLength = Int(buffer.bigEndianUInt32(at: start + 4))
            guard CRC32.checksum(buffer[start..<(start + 8)]) == buffer.bigEndianUInt32(at: start + 8) else {
                throw FormatError(description: "an event-stream frame's prelude CRC does not match (corrupt or not an event stream)")
            }
            guard (Self.minimumFrame...Self.maximumFrame).contains(total), headersLength <= total - Self.minimumFrame else {
                throw FormatError(description: "an event-stream frame announces \(total) bytes with \(headersLength) bytes of headers")
            }
            guard buffer.count - start >= total else { break }
            let end = start + total
            guard CRC32.checksum(buffer[start..<(end - 4)]) == buffer.bigEndianUInt32(at: end - 4) else {
                throw FormatError(description: "an event-stream frame's message CRC does not match (the frame was damaged)")
            }
            let headers = try Self.headers(buffer[(start + 12)..<(start + 12 + headersLength)])
            messages.append(EventStreamMessage(headers: headers, payload: Data(buffer[(start + 12 + headersLength)..<(end - 4)])))
            start = end
        }
        buffer.removeFirst(start)
        return messages
    }

    private static func headers(_ bytes: ArraySlice<UInt8>) throws(FormatError) -> [String: String] {
        var headers: [String: String] = [:]
        var index = bytes.startIndex
        func take(_ count: Int) throws(FormatError) -> ArraySlice<UInt8> {
            guard count >= 0, bytes.endIndex - index >= count else {
                throw FormatError(description: "an event-stream header runs past its frame's header block")
            }
            defer { index += count }
            return bytes[index..<(index + count)]
        }
        func integer(_ count: Int) throws(FormatError) -> Int64 {
            try take(count).reduce(Int64(0)) { $0 << 8 | Int64($1) }
        }
        while index < bytes.endIndex {
            let nameLength = Int(try take(1).first ?? 0)
            let name = String(decoding: try take(nameLength), as: UTF8.self)
            let type = try take(1).first ?? 255
            let value: String
            switch type {
            case 0: value = "true"
            case 1: value = "false"
            case 2: value = String(Int8(truncatingIfNeeded: try integer(1)))
            case 3: value = String(Int16(truncatingIfNeeded: try integer(2)))
            case 4: value = String(Int32(truncatingIfNeeded: try integer(4)))
            case 5, 8: value = String(try integer(8))
            case 6: value = Data(try take(Int(try integer(2)))).base64EncodedString()
            case 7: value = String(decoding: try take(Int(try integer(2))), as: UTF8.self)
            case 9: value = try take(16).map { String($0, radix: 16) }.joined()
            default: throw FormatError(description: "an event-stream header '\(name)' has unknown value type \(type)")
            }
            headers[name] = value
        }
        return headers
    }
}

extension [UInt8] {
    fileprivate func bigEndianUInt32(at offset: Int) -> UInt32 {
        self[offset..<(offset + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }
}
