/// A byte count written for people in decimal units: `"512 bytes"`, `"12.3 KB"`, `"120 MB"`.
struct ByteCount: CustomStringConvertible {
    let bytes: Int64

    init(_ bytes: Int64) { self.bytes = bytes }

    var description: String {
        let units: [(name: String, size: Int64)] = [("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000)]
        for unit in units where bytes >= unit.size {
            let tenths = (bytes * 10 + unit.size / 2) / unit.size
            return tenths % 10 == 0 || tenths >= 1000
                ? "\(tenths / 10) \(unit.name)" : "\(tenths / 10).\(tenths % 10) \(unit.name)"
        }
        return bytes == 1 ? "1 byte" : "\(bytes) bytes"
    }

    /// Two counts that round to different figures, or both exact in bytes when rounding would
    /// make a size look equal to the limit it exceeds.
    static func distinct(_ first: Int64, _ second: Int64) -> (String, String) {
        let rounded = (ByteCount(first).description, ByteCount(second).description)
        return rounded.0 != rounded.1 ? rounded : ("\(first) bytes", "\(second) bytes")
    }
}
