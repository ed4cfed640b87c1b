package import Foundation

/// A JSON document read strictly, for the hot paths' fast decoders (the Mantle client's
/// `MantleResponse`, the API's job and batch bodies, the simulator's create).
///
/// It accepts less than `JSONDecoder`, never more: RFC 8259's grammar exactly, the whole
/// document valid UTF-8, no escapes in keys, no key twice in one object, at most 64 levels deep.
/// A caller that gets nil, or that finds a shape it does not expect, falls back to
/// `JSONDecoder`, which then decides; so a fast decoder can only ever agree with the slow one.
/// Values keep their byte ranges and are turned into Swift values only when read. A module of its
/// own, as `JSONWriting` is, so the simulator reads with it without depending on the client.
package struct StrictJSON: Sendable {
    /// Not `indirect`: the arrays already hold their elements out of line, and an indirect enum
    /// boxed every value, a string's range included: one allocation a value, read or not.
    package enum Value: Sendable {
        case object([Member])
        case array([Value])
        /// A string's bytes between its quotes; `escaped` when they hold a backslash.
        case string(Range<Int>, escaped: Bool)
        /// A number's bytes; `integer` when it has no fraction and no exponent.
        case number(Range<Int>, integer: Bool)
        case bool(Bool)
        case null
    }

    package struct Member: Sendable {
        package var key: String
        package var value: Value
    }

    /// What a fast decoder throws when the document is not the shape it reads: fall back.
    package struct Unexpected: Error {
        package init() {}
    }

    package let bytes: [UInt8]
    package let root: Value

    static let maximumDepth = 64

    package init?(_ data: Data) {
        self.init(bytes: [UInt8](data))
    }

    package init?(bytes: [UInt8]) {
        guard Self.isValidUTF8(bytes) else { return nil }
        var reader = Reader(bytes: bytes)
        guard let root = reader.value(depth: 0) else { return nil }
        reader.skipSpace()
        guard reader.index == bytes.count else { return nil }
        self.bytes = bytes
        self.root = root
    }

    // MARK: - Reading values

    /// The member `key` of `object`; nil when absent.
    package func member(_ key: String, of object: Value) throws(Unexpected) -> Value? {
        guard case .object(let members) = object else { throw Unexpected() }
        return members.first { $0.key == key }?.value
    }

    /// The string `value` holds; throws for any other value.
    package func string(_ value: Value) throws(Unexpected) -> String {
        guard case .string(let range, let escaped) = value else { throw Unexpected() }
        if !escaped { return String(decoding: bytes[range], as: UTF8.self) }
        guard let text = Self.unescape(bytes[range]) else { throw Unexpected() }
        return text
    }

    /// A string, or nil for a missing member or null; throws for any other value.
    package func optionalString(_ value: Value?) throws(Unexpected) -> String? {
        guard let value, !value.isNull else { return nil }
        return try string(value)
    }

    /// An integer without fraction or exponent that fits `Int`; nil for a missing member or null.
    /// Throws for anything else (what `JSONDecoder` makes of `1.0` or `1e3` is its own to say).
    package func optionalInteger(_ value: Value?) throws(Unexpected) -> Int? {
        guard let value, !value.isNull else { return nil }
        guard case .number(let range, true) = value, let number = Int(String(decoding: bytes[range], as: UTF8.self)) else {
            throw Unexpected()
        }
        return number
    }

    /// The elements of an array, or nil for a missing member or null; throws for any other value.
    package func optionalArray(_ value: Value?) throws(Unexpected) -> [Value]? {
        guard let value, !value.isNull else { return nil }
        guard case .array(let elements) = value else { throw Unexpected() }
        return elements
    }

    /// The members of an object of strings (metadata, tags); throws for any other value, or a
    /// member that is not a string.
    package func stringObject(_ value: Value) throws(Unexpected) -> [String: String] {
        guard case .object(let members) = value else { throw Unexpected() }
        var object = [String: String](minimumCapacity: members.count)
        for member in members { object[member.key] = try string(member.value) }
        return object
    }

    // MARK: - Strings

    /// The text of a string's escaped bytes, or nil for an escape JSON does not allow or a
    /// lone surrogate. With `build` false it only checks them (and returns "").
    package static func unescape(_ bytes: ArraySlice<UInt8>, build: Bool = true) -> String? {
        var utf8: [UInt8] = []
        if build { utf8.reserveCapacity(bytes.count) }
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                if build { utf8.append(byte) }
                index += 1
                continue
            }
            guard index + 1 < bytes.endIndex else { return nil }
            let escape = bytes[index + 1]
            index += 2
            let scalar: Unicode.Scalar
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalar = Unicode.Scalar(escape)
            case UInt8(ascii: "b"): scalar = "\u{08}"
            case UInt8(ascii: "f"): scalar = "\u{0C}"
            case UInt8(ascii: "n"): scalar = "\n"
            case UInt8(ascii: "r"): scalar = "\r"
            case UInt8(ascii: "t"): scalar = "\t"
            case UInt8(ascii: "u"):
                guard let unit = hexUnit(bytes, at: index) else { return nil }
                index += 4
                var value = UInt32(unit)
                switch unit {
                case 0xD800..<0xDC00:
                    // A high surrogate must be followed by an escaped low one.
                    guard index + 1 < bytes.endIndex, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                        let low = hexUnit(bytes, at: index + 2), (0xDC00..<0xE000).contains(low)
                    else { return nil }
                    index += 6
                    value = 0x10000 + ((value - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                case 0xDC00..<0xE000: return nil
                default: break
                }
                guard let decoded = Unicode.Scalar(value) else { return nil }
                scalar = decoded
            default: return nil
            }
            if build { UTF8.encode(scalar) { utf8.append($0) } }
        }
        return build ? String(decoding: utf8, as: UTF8.self) : ""
    }

    private static func hexUnit(_ bytes: ArraySlice<UInt8>, at start: Int) -> UInt16? {
        guard start + 4 <= bytes.endIndex else { return nil }
        var unit: UInt16 = 0
        for byte in bytes[start..<(start + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    /// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF.
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int, lowest: UInt32
            switch lead {
            case 0xC2...0xDF: (length, lowest) = (2, 0x80)
            case 0xE0...0xEF: (length, lowest) = (3, 0x800)
            case 0xF0...0xF4: (length, lowest) = (4, 0x10000)
            default: return false
            }
            guard index + length <= bytes.count else { return false }
            var scalar = UInt32(lead) & (0xFF >> (length + 1))
            for next in bytes[(index + 1)..<(index + length)] {
                guard next & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            guard scalar >= lowest, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return false }
            index += length
        }
        return true
    }

    // MARK: - The grammar

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) -> Value? {
            skipSpace()
            guard index < bytes.count, depth <= StrictJSON.maximumDepth else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"): return object(depth: depth)
            case UInt8(ascii: "["): return array(depth: depth)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true", .bool(true))
            case UInt8(ascii: "f"): return literal("false", .bool(false))
            case UInt8(ascii: "n"): return literal("null", .null)
            default: return number()
            }
        }

        private mutating func object(depth: Int) -> Value? {
            index += 1
            var members: [Member] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard case .string(let range, escaped: false)? = string() else { return nil }
                let key = String(decoding: bytes[range], as: UTF8.self)
                guard !members.contains(where: { $0.key == key }) else { return nil }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                guard let value = value(depth: depth + 1) else { return nil }
                members.append(Member(key: key, value: value))
                skipSpace()
                guard index < bytes.count else { return nil }
                switch bytes[index] {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"):
                    index += 1
                    return .object(members)
                default: return nil
                }
            }
        }

        private mutating func array(depth: Int) -> Value? {
            index += 1
            var elements: [Value] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                guard let element = value(depth: depth + 1) else { return nil }
                elements.append(element)
                skipSpace()
                guard index < bytes.count else { return nil }
                switch bytes[index] {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"):
                    index += 1
                    return .array(elements)
                default: return nil
                }
            }
        }

        /// A string; its escapes are checked when it is read (`StrictJSON.unescape`).
        private mutating func string() -> Value? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let start = index + 1
            var escaped = false
            index = start
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    defer { index += 1 }
                    // Every escape is checked, also in strings no one reads: `JSONDecoder` refuses a
                    // document with a bad one anywhere.
                    if escaped, StrictJSON.unescape(bytes[start..<index], build: false) == nil { return nil }
                    return .string(start..<index, escaped: escaped)
                case UInt8(ascii: "\\"):
                    escaped = true
                    index += 2
                case 0..<0x20: return nil
                default: index += 1
                }
            }
            return nil
        }

        private mutating func literal(_ word: StaticString, _ value: Value) -> Value? {
            let length = word.utf8CodeUnitCount
            guard index + length <= bytes.count else { return nil }
            let matches = word.withUTF8Buffer { $0.elementsEqual(bytes[index..<(index + length)]) }
            guard matches else { return nil }
            index += length
            return value
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
        private mutating func number() -> Value? {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { return nil }
            if bytes[index] == UInt8(ascii: "0") {
                index += 1
            } else {
                skipDigits()
            }
            var integer = true
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                integer = false
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { return nil }
                skipDigits()
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                integer = false
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard index < bytes.count, isDigit(bytes[index]) else { return nil }
                skipDigits()
            }
            return .number(start..<index, integer: integer)
        }

        private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        private mutating func skipDigits() {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
    }
}

extension StrictJSON.Value {
    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
