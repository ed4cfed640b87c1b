/// The text encodings the reader accepts: UTF-8 (with or without a BOM), and UTF-16 with a BOM.
public enum DocumentTextEncoding: String, Sendable, Hashable, CustomStringConvertible {
    /// UTF-8; a leading byte order mark is removed.
    case utf8 = "UTF-8"
    /// UTF-16, little-endian, recognised by its byte order mark `FF FE`.
    case utf16LittleEndian = "UTF-16LE"
    /// UTF-16, big-endian, recognised by its byte order mark `FE FF`.
    case utf16BigEndian = "UTF-16BE"

    /// The name used in messages: `"UTF-8"`, `"UTF-16LE"`.
    public var description: String { rawValue }
}
