import Foundation
import JSONReading

/// The top-level members of a JSON object as raw byte ranges, found in one pass without building
/// any value: what a Response stream event needs (its `type`, `sequence_number`, `delta`, and the
/// whole `response` object as bytes to store). A background stream sends one event per text
/// delta; decoding each with `JSONDecoder`, and the terminal event's `response` through
/// `JSONSerialization` and back, was 16 % of the worker's CPU in `bench/pipeline.sh`.
///
/// The scan checks the object's structure (strings with their escapes, nested objects and
/// arrays balanced, members separated by commas, nothing after the closing brace); a value is
/// checked only when it is read (`string`, `integer`, or the caller's own decoding of `raw`).
/// Nil for anything that is not such an object, or whose keys have escapes (no event has them):
/// the caller treats that as unreadable.
struct JSONMembers {
    private typealias Member = (key: Range<Int>, value: Range<Int>)
    private let bytes: [UInt8]
    /// Each member's key (inside its quotes) and value, in the order sent. An event has a handful,
    /// so a lookup compares bytes: a dictionary made a `String` of every key and hashed it, for
    /// each of a stream's events (the scan was 4 % of the worker's CPU in `bench/pipeline.sh`).
    private let members: [Member]

    init?(_ data: Data) {
        let bytes = [UInt8](data)
        guard let members = Self.scan(bytes) else { return nil }
        self.bytes = bytes
        self.members = members
    }

    /// Where the value of `key` is: the last of repeated keys, as JSON readers keep.
    private func range(_ key: String) -> Range<Int>? {
        members.last { bytes[$0.key].elementsEqual(key.utf8) }?.value
    }

    /// The member's value, exactly as it was sent.
    func raw(_ key: String) -> Data? {
        range(key).map { Data(bytes[$0]) }
    }

    /// The member's value when it is a string; nil when absent, null, or not a string.
    func string(_ key: String) -> String? {
        guard let range = range(key), bytes[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
        let inner = bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]
        if !inner.contains(UInt8(ascii: "\\")) { return String(decoding: inner, as: UTF8.self) }
        // Unescaped here, as `StrictJSON` does, rather than by a `JSONDecoder` made for each delta
        // with a newline or a quote in it (common in real text, where a delta is a token or two).
        // Nil for an escape JSON does not allow or a lone surrogate.
        return StrictJSON.unescape(inner)
    }

    /// The member's value when it is an integer; nil when absent, null, or not an integer.
    func integer(_ key: String) -> Int? {
        range(key).flatMap { Int(String(decoding: bytes[$0], as: UTF8.self)) }
    }

    // MARK: - The scan

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    private static func scan(_ bytes: [UInt8]) -> [Member]? {
        var index = skipSpace(bytes, from: 0)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index = skipSpace(bytes, from: index + 1)
        var members: [Member] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { return skipSpace(bytes, from: index + 1) == bytes.count ? members : nil }
        while true {
            guard let keyEnd = endOfString(bytes, at: index) else { return nil }
            let key = (index + 1)..<(keyEnd - 1)
            guard !bytes[key].contains(backslash) else { return nil }
            index = skipSpace(bytes, from: keyEnd)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            let valueStart = skipSpace(bytes, from: index + 1)
            guard let valueEnd = endOfValue(bytes, at: valueStart) else { return nil }
            members.append((key, valueStart..<valueEnd))
            index = skipSpace(bytes, from: valueEnd)
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: ","): index = skipSpace(bytes, from: index + 1)
            case UInt8(ascii: "}"): return skipSpace(bytes, from: index + 1) == bytes.count ? members : nil
            default: return nil
            }
        }
    }

    private static func skipSpace(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return index
            }
        }
        return index
    }

    /// The index after the closing quote of the string that opens at `start`.
    private static func endOfString(_ bytes: [UInt8], at start: Int) -> Int? {
        guard start < bytes.count, bytes[start] == quote else { return nil }
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case backslash: index += 2
            case quote: return index + 1
            case 0..<0x20: return nil  // a control character must be escaped inside a string
            default: index += 1
            }
        }
        return nil
    }

    /// The index after the value that starts at `start`: a string, an object or array (balanced,
    /// strings inside skipped whole), or a number or literal (up to the next delimiter).
    private static func endOfValue(_ bytes: [UInt8], at start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        switch bytes[start] {
        case quote:
            return endOfString(bytes, at: start)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var closers: [UInt8] = []
            var index = start
            while index < bytes.count {
                switch bytes[index] {
                case quote:
                    guard let end = endOfString(bytes, at: index) else { return nil }
                    index = end
                    continue
                case UInt8(ascii: "{"): closers.append(UInt8(ascii: "}"))
                case UInt8(ascii: "["): closers.append(UInt8(ascii: "]"))
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard closers.popLast() == bytes[index] else { return nil }
                    if closers.isEmpty { return index + 1 }
                default: break
                }
                index += 1
            }
            return nil
        default:
            var index = start
            while index < bytes.count, !",}] \t\n\r".utf8.contains(bytes[index]) { index += 1 }
            return index > start ? index : nil
        }
    }
}
