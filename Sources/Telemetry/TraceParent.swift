/// One span's place in a trace, as the W3C `traceparent` header carries it
/// (`00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`): what a job stores so that a worker in
/// another process continues the trace of the request that enqueued it.
public struct TraceParent: Sendable, Hashable, CustomStringConvertible {
    /// 16 bytes, never all zero.
    public var traceID: [UInt8]
    /// 8 bytes, never all zero.
    public var spanID: [UInt8]
    /// Bit 0 is "sampled"; the other bits are kept as received.
    public var flags: UInt8

    public init(traceID: [UInt8], spanID: [UInt8], flags: UInt8 = 1) {
        self.traceID = traceID
        self.spanID = spanID
        self.flags = flags
    }

    /// Parses a `traceparent` value; nil for anything the W3C spec says to ignore (wrong lengths,
    /// upper-case or non-hex digits, version `ff`, an all-zero id), as a receiver must.
    public init?(_ header: some StringProtocol) {
        let parts = header.split(separator: "-", omittingEmptySubsequences: false)
        // Version 00 has exactly four fields; a later version may append more after the flags.
        guard parts.count >= 4, parts[0].count == 2, let version = Self.bytes(parts[0]), version != [0xff],
            version != [0] || parts.count == 4,
            let trace = Self.bytes(parts[1]), trace.count == 16, trace.contains(where: { $0 != 0 }),
            let span = Self.bytes(parts[2]), span.count == 8, span.contains(where: { $0 != 0 }),
            parts[3].count == 2, let flags = Self.bytes(parts[3])
        else { return nil }
        self.init(traceID: trace, spanID: span, flags: flags[0])
    }

    /// The header value, version 00.
    public var description: String { "00-\(traceIDHex)-\(Self.hex(spanID))-\(Self.hex([flags]))" }

    public var traceIDHex: String { Self.hex(traceID) }
    public var spanIDHex: String { Self.hex(spanID) }
    public var isSampled: Bool { flags & 1 == 1 }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lower-case hex only, as the spec requires.
    private static func bytes(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}
