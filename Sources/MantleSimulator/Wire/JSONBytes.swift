import Foundation

/// A value the simulator writes as JSON by hand, for the bodies it sends on every request.
///
/// `JSONEncoder` cost about a sixth of the simulator's CPU in `bench/pipeline.sh` (the Response
/// object on every create and retrieve, each event of a stream): boxing every value in its
/// containers, then writing a tree. These types write their fixed shape straight into bytes. The
/// `Encodable` conformance stays, and `JSONBytesTests` checks that both give the same JSON; key
/// order is not part of it (`JSONEncoder` writes keys in hash order, which differs per run).
protocol JSONBytesWritable: Encodable {
    func write(to json: inout JSONBytes)
}

extension JSONBytesWritable {
    /// The value as compact JSON.
    var jsonBytes: [UInt8] {
        var json = JSONBytes()
        write(to: &json)
        return json.bytes
    }
}

/// Compact JSON written into a byte array, as `JSONEncoder` with `.withoutEscapingSlashes` writes it.
struct JSONBytes {
    private(set) var bytes: [UInt8] = []
    /// Whether the next member or element needs a comma before it.
    private var needsComma = false

    init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: Containers

    /// `{…}`, its members written by `body`.
    mutating func object(_ body: (inout JSONBytes) -> Void) {
        container(UInt8(ascii: "{"), UInt8(ascii: "}"), body)
    }

    /// `[…]`, its elements written by `body`.
    mutating func array(_ body: (inout JSONBytes) -> Void) {
        container(UInt8(ascii: "["), UInt8(ascii: "]"), body)
    }

    private mutating func container(_ open: UInt8, _ close: UInt8, _ body: (inout JSONBytes) -> Void) {
        separate()
        bytes.append(open)
        needsComma = false
        body(&self)
        bytes.append(close)
        needsComma = true
    }

    // MARK: Members (inside `object`)

    /// `"key":value`, or `"key":null` for nil.
    mutating func member(_ key: StaticString, _ value: (some JSONBytesWritable)?) {
        self.key(key)
        if let value { value.write(to: &self) } else { null() }
    }

    /// `"key":{…}`.
    mutating func objectMember(_ key: StaticString, _ body: (inout JSONBytes) -> Void) {
        self.key(key)
        object(body)
    }

    /// `"key":[…]`.
    mutating func arrayMember(_ key: StaticString, _ body: (inout JSONBytes) -> Void) {
        self.key(key)
        array(body)
    }

    /// `"key":null`.
    mutating func nullMember(_ key: StaticString) {
        self.key(key)
        null()
    }

    /// `"key":[]`, for the lists the simulator always sends empty.
    mutating func emptyArrayMember(_ key: StaticString) {
        self.key(key)
        array { _ in }
    }

    /// A member whose key comes from outside (metadata, echoed objects), escaped.
    mutating func member(escapedKey key: String, _ value: some JSONBytesWritable) {
        separate()
        appendString(key)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
        value.write(to: &self)
    }

    /// `"key":` for one of our own ASCII names; the value written next belongs to it.
    private mutating func key(_ key: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Text that is not JSON (an event stream's `event: …` line around the data), as is.
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    // MARK: Values

    mutating func null() {
        separate()
        raw("null")
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        if value { raw("true") } else { raw("false") }
        needsComma = true
    }

    mutating func string(_ value: String) {
        separate()
        appendString(value)
        needsComma = true
    }

    mutating func int(_ value: Int) {
        separate()
        appendInteger(Int64(value))
        needsComma = true
    }

    /// A Double as `JSONEncoder` writes it: integral values without `.0` (`"temperature":1`).
    /// Anything else (fractions, huge or negative zero) is written by `JSONEncoder` itself, so
    /// the digits stay its own; such values come only from a request that sets them.
    mutating func double(_ value: Double) {
        separate()
        if value.rounded() == value, abs(value) < 1e15, value != 0 || value.sign == .plus {
            appendInteger(Int64(value))
        } else {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .withoutEscapingSlashes
            if let data = try? encoder.encode(value) { bytes.append(contentsOf: data) } else { raw("null") }
        }
        needsComma = true
    }

    // MARK: Scalars

    private mutating func appendInteger(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let first = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[first...].reverse()
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\n`, `\t`… or `\u00XX`, and
    /// everything else (`/` and non-ASCII included) as its own UTF-8.
    private mutating func appendString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                switch byte {
                case UInt8(ascii: "\""): raw("\\\"")
                case UInt8(ascii: "\\"): raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                case 0x08: raw("\\b")
                case 0x0C: raw("\\f")
                default:
                    raw("\\u00")
                    for nibble in [byte >> 4, byte & 0x0F] {
                        bytes.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
                    }
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension String: JSONBytesWritable {
    func write(to json: inout JSONBytes) { json.string(self) }
}

extension Int: JSONBytesWritable {
    func write(to json: inout JSONBytes) { json.int(self) }
}

extension Bool: JSONBytesWritable {
    func write(to json: inout JSONBytes) { json.bool(self) }
}

extension Double: JSONBytesWritable {
    func write(to json: inout JSONBytes) { json.double(self) }
}

extension Array: JSONBytesWritable where Element: JSONBytesWritable {
    func write(to json: inout JSONBytes) {
        json.array { json in
            for element in self { element.write(to: &json) }
        }
    }
}
