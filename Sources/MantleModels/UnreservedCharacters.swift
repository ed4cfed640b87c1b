/// RFC 3986's unreserved characters (§2.3) — ASCII letters and digits, `-`, `.`, `_` and `~` — the
/// bytes a URL carries as themselves: a path segment that holds only these cannot change the
/// route, percent-encoding leaves them alone, and percent-decoding gives them back unchanged.
public enum UnreservedCharacters {
    /// Whether `byte` is one of them; the bytes of a non-ASCII character are all ≥ 0x80, never one.
    @inlinable
    public static func contains(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
