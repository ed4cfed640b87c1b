/// A value written as JSON by hand, for the bodies sent on every request.
///
/// `JSONEncoder` cost about a sixth of the simulator's CPU in `bench/pipeline.sh` (the Response
/// object on every create and retrieve, each event of a stream) and 7.5 % of the worker's (the
/// create body, the finalizer's recordset): boxing every value in its containers, then writing a
/// tree. These types write their fixed shape straight into bytes. Each keeps its `Encodable`
/// conformance, and tests check that both give the same JSON.
public protocol JSONBytesWritable: Encodable {
    /// Appends the value to `json`.
    func write(to json: inout JSONBytes)
}

extension JSONBytesWritable {
    /// The value as compact JSON.
    @inlinable
    public var jsonBytes: [UInt8] {
        var json = JSONBytes()
        write(to: &json)
        return json.bytes
    }
}

/// Compact JSON written into a byte array, as `JSONEncoder` with `.withoutEscapingSlashes` writes it.
///
/// Members come in the order they are written; `object(sortingKeysOf:)` writes a dictionary in
/// the order of `.sortedKeys` (UTF-8 bytes, as swift-foundation sorts them outside Darwin).
public struct JSONBytes: Sendable {
    /// What has been written.
    public var bytes: [UInt8] { buffer }
    /// The bytes, written to by the inlinable members below: callers in other modules specialise
    /// `member(_:_:)` and the closures of `object`/`array` for their own types, where a call into
    /// this module resolved each generic value's type at run time (`_swift_getGenericMetadata`
    /// and its cache were ~4 % of the simulator's samples in `perf` over bench/pipeline.sh).
    @usableFromInline var buffer: [UInt8] = []
    /// Whether a NaN or an infinity was written (as `null`): JSON has no such number, and
    /// `JSONEncoder` throws on one, so a writer that must refuse it checks this at the end.
    public private(set) var wroteNonFiniteNumber = false
    /// Whether the next member or element needs a comma before it.
    @usableFromInline var needsComma = false

    /// An empty writer with room for `capacity` bytes.
    @inlinable
    public init(capacity: Int = 1024) {
        buffer.reserveCapacity(capacity)
    }

    // MARK: Containers

    /// `{…}`, its members written by `body`.
    @inlinable
    public mutating func object(_ body: (inout JSONBytes) -> Void) {
        container(UInt8(ascii: "{"), UInt8(ascii: "}"), body)
    }

    /// `[…]`, its elements written by `body`.
    @inlinable
    public mutating func array(_ body: (inout JSONBytes) -> Void) {
        container(UInt8(ascii: "["), UInt8(ascii: "]"), body)
    }

    /// `{…}` holding `members`, keys in the order of their UTF-8 bytes (what `JSONEncoder` writes
    /// with `.sortedKeys`, so a body stays the same from run to run), each value by `value`.
    @inlinable
    public mutating func object<Value>(sortingKeysOf members: [String: Value], _ value: (Value, inout JSONBytes) -> Void) {
        object { json in
            for (key, member) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                json.key(escaping: key)
                value(member, &json)
            }
        }
    }

    /// `{…}` holding `members`, keys in the order of their UTF-8 bytes.
    @inlinable
    public mutating func object(sortingKeysOf members: [String: some JSONBytesWritable]) {
        object(sortingKeysOf: members) { $0.write(to: &$1) }
    }

    @inlinable
    mutating func container(_ open: UInt8, _ close: UInt8, _ body: (inout JSONBytes) -> Void) {
        separate()
        buffer.append(open)
        needsComma = false
        body(&self)
        buffer.append(close)
        needsComma = true
    }

    // MARK: Members (inside `object`)

    /// `"key":value`, or `"key":null` for nil.
    @inlinable
    public mutating func member(_ key: StaticString, _ value: (some JSONBytesWritable)?) {
        self.key(key)
        if let value { value.write(to: &self) } else { null() }
    }

    /// `"key":value`, or nothing for nil (as `encodeIfPresent` leaves the key out).
    @inlinable
    public mutating func memberIfPresent(_ key: StaticString, _ value: (some JSONBytesWritable)?) {
        guard let value else { return }
        self.key(key)
        value.write(to: &self)
    }

    /// `"key":{…}`.
    @inlinable
    public mutating func objectMember(_ key: StaticString, _ body: (inout JSONBytes) -> Void) {
        self.key(key)
        object(body)
    }

    /// `"key":[…]`.
    @inlinable
    public mutating func arrayMember(_ key: StaticString, _ body: (inout JSONBytes) -> Void) {
        self.key(key)
        array(body)
    }

    /// `"key":null`.
    @inlinable
    public mutating func nullMember(_ key: StaticString) {
        self.key(key)
        null()
    }

    /// `"key":[]`, for the lists the simulator always sends empty.
    @inlinable
    public mutating func emptyArrayMember(_ key: StaticString) {
        self.key(key)
        array { _ in }
    }

    /// A member whose key comes from outside (metadata, echoed objects), escaped.
    @inlinable
    public mutating func member(escapedKey key: String, _ value: some JSONBytesWritable) {
        self.key(escaping: key)
        value.write(to: &self)
    }

    /// `"key":` for one of our own ASCII names, written as is; the value written next belongs to it.
    @inlinable
    public mutating func key(_ key: StaticString) {
        separate()
        buffer.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { buffer.append(contentsOf: $0) }
        buffer.append(UInt8(ascii: "\""))
        buffer.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// `"key":` for a key that comes from outside, escaped; the value written next belongs to it.
    @inlinable
    public mutating func key(escaping key: String) {
        separate()
        appendString(key)
        buffer.append(UInt8(ascii: ":"))
        needsComma = false
    }

    @inlinable
    mutating func separate() {
        if needsComma { buffer.append(UInt8(ascii: ",")) }
    }

    /// A value that is already valid JSON (a Response as Mantle sent it), spliced in as is.
    @inlinable
    public mutating func splice(_ validJSON: String) {
        separate()
        raw(validJSON)
        needsComma = true
    }

    /// Text that is not JSON (an event stream's `event: …` line around the data), as is.
    @inlinable
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    /// `text`'s UTF-8, as is.
    @inlinable
    public mutating func raw(_ text: String) {
        buffer.append(contentsOf: text.utf8)
    }

    // MARK: Values

    /// `null`.
    @inlinable
    public mutating func null() {
        separate()
        raw("null")
        needsComma = true
    }

    /// `true` or `false`.
    @inlinable
    public mutating func bool(_ value: Bool) {
        separate()
        if value { raw("true") } else { raw("false") }
        needsComma = true
    }

    /// A string, escaped.
    @inlinable
    public mutating func string(_ value: String) {
        separate()
        appendString(value)
        needsComma = true
    }

    /// An integer.
    @inlinable
    public mutating func int(_ value: Int) {
        int(Int64(value))
    }

    /// A 64-bit integer (a row id).
    @inlinable
    public mutating func int(_ value: Int64) {
        separate()
        appendInteger(value)
        needsComma = true
    }

    /// A Double as `JSONEncoder` writes it: its `description` (the shortest digits that read back
    /// as the same Double) without a trailing `.0` (`"temperature":1`, `1e+20`, `-0`). NaN and the
    /// infinities, which `JSONEncoder` refuses, are written as `null` and noted in
    /// ``wroteNonFiniteNumber``.
    public mutating func double(_ value: Double) {
        separate()
        if !value.isFinite {
            raw("null")
            wroteNonFiniteNumber = true
        } else if value.rounded() == value, abs(value) < 1e15, value != 0 || value.sign == .plus {
            // Below 1e15 `description` spells an integral value out in full digits, plus ".0".
            appendInteger(Int64(value))
        } else {
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            raw(text)
        }
        needsComma = true
    }

    // MARK: Scalars

    @usableFromInline
    mutating func appendInteger(_ value: Int64) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let first = buffer.count
        repeat {
            buffer.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        buffer[first...].reverse()
    }

    /// A JSON string (RFC 8259 §7): `"` and `\` escaped, control characters as `\n`, `\t`… or
    /// `\u00XX`, and everything else (`/`, DEL and non-ASCII included) as its own UTF-8.
    @usableFromInline
    mutating func appendString(_ value: String) {
        buffer.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
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
                    buffer.append(Self.hexDigit(byte >> 4))
                    buffer.append(Self.hexDigit(byte & 0x0F))
                }
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// The lowercase hex digit of `nibble` (0–15), as `JSONEncoder` spells `\u001f`.
    @usableFromInline
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}

extension String: JSONBytesWritable {
    /// Writes the string, escaped.
    @inlinable
    public func write(to json: inout JSONBytes) { json.string(self) }
}

extension Int: JSONBytesWritable {
    /// Writes the integer.
    @inlinable
    public func write(to json: inout JSONBytes) { json.int(self) }
}

extension Int64: JSONBytesWritable {
    /// Writes the integer.
    @inlinable
    public func write(to json: inout JSONBytes) { json.int(self) }
}

extension Bool: JSONBytesWritable {
    /// Writes `true` or `false`.
    @inlinable
    public func write(to json: inout JSONBytes) { json.bool(self) }
}

extension Double: JSONBytesWritable {
    /// Writes the number as `JSONEncoder` does.
    @inlinable
    public func write(to json: inout JSONBytes) { json.double(self) }
}

extension Array: JSONBytesWritable where Element: JSONBytesWritable {
    /// Writes `[…]`, element by element.
    @inlinable
    public func write(to json: inout JSONBytes) {
        json.array { json in
            for element in self { element.write(to: &json) }
        }
    }
}
