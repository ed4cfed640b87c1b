import Foundation
import Hashing

/// One message in AWS's binary event-stream framing (`application/vnd.amazon.eventstream`), as
/// bedrock-runtime's `invoke-with-response-stream` sends it:
///
///     total length (u32 BE) | headers length (u32 BE) | prelude CRC32 (of the 8 bytes before)
///     headers: name length (u8), name, value type (u8, 7 = string), value length (u16 BE), value
///     payload
///     message CRC32 (of everything before it)
enum EventStreamFrame {
    /// A `chunk` event carrying one Anthropic event: payload `{"bytes":"<base64 of the event JSON>"}`.
    static func chunk(_ event: JSONValue) -> [UInt8] {
        let payload: JSONValue = ["bytes": .string(Data(event.encoded).base64EncodedString())]
        return message(
            headers: [(":event-type", "chunk"), (":content-type", "application/json"), (":message-type", "event")],
            payload: payload.encoded)
    }

    /// An exception message (`:message-type: exception`), e.g. `throttlingException`,
    /// `internalServerException`, `modelStreamErrorException`, payload `{"message": …}`.
    static func exception(_ type: String, message text: String) -> [UInt8] {
        let payload: JSONValue = ["message": .string(text)]
        return message(
            headers: [(":exception-type", type), (":content-type", "application/json"), (":message-type", "exception")],
            payload: payload.encoded)
    }

    static func message(headers: [(String, String)], payload: [UInt8]) -> [UInt8] {
        var headerBytes: [UInt8] = []
        for (name, value) in headers {
            let nameBytes = Array(name.utf8)
            let valueBytes = Array(value.utf8)
            headerBytes.append(UInt8(nameBytes.count))
            headerBytes += nameBytes
            headerBytes.append(7)
            headerBytes += bigEndian(UInt16(valueBytes.count))
            headerBytes += valueBytes
        }
        let total = 12 + headerBytes.count + payload.count + 4
        var bytes = bigEndian(UInt32(total)) + bigEndian(UInt32(headerBytes.count))
        bytes += bigEndian(CRC32.checksum(bytes))
        bytes += headerBytes
        bytes += payload
        bytes += bigEndian(CRC32.checksum(bytes))
        return bytes
    }

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}
