/// Builds a ZIP archive with uncompressed ("stored") entries, enough to make DOCX files in tests
/// without any tool; `unzip` reads it like any other archive.
struct StoredZipArchive {
    private var entries: [(name: [UInt8], data: [UInt8])] = []

    mutating func add(_ name: String, _ text: String) {
        entries.append((Array(name.utf8), Array(text.utf8)))
    }

    /// The archive's bytes: local headers and data, then the central directory and its end record.
    var bytes: [UInt8] {
        var archive: [UInt8] = []
        var directory: [UInt8] = []
        for entry in entries {
            let offset = UInt32(archive.count)
            let crc = Self.crc32(entry.data)
            let size = UInt32(entry.data.count)
            archive += Self.le32(0x0403_4B50) + Self.le16(20) + Self.le16(0) + Self.le16(0) + Self.le16(0) + Self.le16(0x21)
            archive += Self.le32(crc) + Self.le32(size) + Self.le32(size) + Self.le16(UInt16(entry.name.count)) + Self.le16(0)
            archive += entry.name + entry.data
            directory += Self.le32(0x0201_4B50) + Self.le16(20) + Self.le16(20) + Self.le16(0) + Self.le16(0)
            directory += Self.le16(0) + Self.le16(0x21) + Self.le32(crc) + Self.le32(size) + Self.le32(size)
            directory += Self.le16(UInt16(entry.name.count)) + Self.le16(0) + Self.le16(0) + Self.le16(0) + Self.le16(0)
            directory += Self.le32(0) + Self.le32(offset) + entry.name
        }
        let directoryOffset = UInt32(archive.count)
        archive += directory
        archive += Self.le32(0x0605_4B50) + Self.le16(0) + Self.le16(0) + Self.le16(UInt16(entries.count))
        archive += Self.le16(UInt16(entries.count)) + Self.le32(UInt32(directory.count)) + Self.le32(directoryOffset) + Self.le16(0)
        return archive
    }

    /// A DOCX whose body is `bodyXML` (the content of `<w:body>`).
    static func wordDocument(body bodyXML: String) -> [UInt8] {
        var zip = StoredZipArchive()
        zip.add(
            "[Content_Types].xml",
            """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
            """)
        zip.add(
            "_rels/.rels",
            """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>
            """)
        zip.add(
            "word/document.xml",
            """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(bodyXML)</w:body></w:document>
            """)
        return zip.bytes
    }

    private static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }

    private static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
