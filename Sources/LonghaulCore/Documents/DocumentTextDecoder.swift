/// Turns a text file's bytes into a `String`, or says precisely why it cannot.
///
/// Accepted: UTF-8 with or without a BOM (the BOM is removed), UTF-16 LE/BE with a BOM. Refused:
/// any NUL (which PostgreSQL's `text` cannot hold, and which marks binary files), too many
/// control characters in the first 8 KB, and the first invalid byte, reported by its offset in
/// the file. Everything is one pass over the bytes.
enum DocumentTextDecoder {
    /// How much of the file the control-character test looks at.
    static let sampleSize = 8192

    static func decode(_ bytes: [UInt8]) -> Result<String, DocumentSkipReason> {
        bytes.withUnsafeBufferPointer { buffer in
            if buffer.starts(with: [0xFF, 0xFE]) {
                return decodeUTF16(buffer, littleEndian: true)
            }
            if buffer.starts(with: [0xFE, 0xFF]) {
                return decodeUTF16(buffer, littleEndian: false)
            }
            let hasBOM = buffer.starts(with: [0xEF, 0xBB, 0xBF])
            let start = hasBOM ? 3 : 0
            if let nul = buffer[start...].firstIndex(of: 0) {
                return .failure(.binary(.nulByte(offset: nul)))
            }
            if let evidence = controlCharacterEvidence(buffer) {
                return .failure(.binary(evidence))
            }
            if let invalid = firstInvalidUTF8(buffer, from: start) {
                return .failure(.invalidEncoding(.utf8, byteOffset: invalid, byteOrderMark: hasBOM))
            }
            return .success(String(decoding: UnsafeBufferPointer(rebasing: buffer[start...]), as: UTF8.self))
        }
    }

    /// Too many C0 control characters (other than tab, line feed, vertical tab, form feed,
    /// carriage return and escape) in the sample: more than one in ten.
    private static func controlCharacterEvidence(_ buffer: UnsafeBufferPointer<UInt8>) -> DocumentSkipReason.BinaryEvidence? {
        let sample = buffer.prefix(sampleSize)
        var count = 0
        for byte in sample where byte < 0x20 || byte == 0x7F {
            switch byte {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B: continue
            default: count += 1
            }
        }
        return count * 10 > sample.count ? .controlCharacters(count: count, sampleSize: sample.count) : nil
    }

    /// The offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629:
    /// no overlong forms, no surrogates, nothing above U+10FFFF), or `nil` when all are valid.
    static func firstInvalidUTF8(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        let end = buffer.count
        while index < end {
            let lead = buffer[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; secondRange = 0xA0...0xBF
            case 0xED: length = 3; secondRange = 0x80...0x9F
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xF0: length = 4; secondRange = 0x90...0xBF
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; secondRange = 0x80...0x8F
            default: return index
            }
            guard index + length <= end, secondRange.contains(buffer[index + 1]) else { return index }
            for offset in 2..<length where buffer[index + offset] & 0xC0 != 0x80 {
                return index
            }
            index += length
        }
        return nil
    }

    private static func decodeUTF16(_ buffer: UnsafeBufferPointer<UInt8>, littleEndian: Bool) -> Result<String, DocumentSkipReason> {
        let encoding: DocumentTextEncoding = littleEndian ? .utf16LittleEndian : .utf16BigEndian
        var units: [UInt16] = []
        units.reserveCapacity(buffer.count / 2)
        var offset = 2
        var expectingLowSurrogate = false
        while offset + 1 < buffer.count {
            let first = UInt16(buffer[offset]), second = UInt16(buffer[offset + 1])
            let unit = littleEndian ? first | second << 8 : first << 8 | second
            if unit == 0 {
                return .failure(.binary(.nulByte(offset: offset)))
            }
            let isHigh = (0xD800...0xDBFF).contains(unit), isLow = (0xDC00...0xDFFF).contains(unit)
            if expectingLowSurrogate != isLow {
                // A high surrogate not followed by a low one is reported where it stands.
                return .failure(.invalidEncoding(encoding, byteOffset: isLow ? offset : offset - 2, byteOrderMark: true))
            }
            expectingLowSurrogate = isHigh
            units.append(unit)
            offset += 2
        }
        if expectingLowSurrogate {
            return .failure(.invalidEncoding(encoding, byteOffset: offset - 2, byteOrderMark: true))
        }
        if offset < buffer.count {
            return .failure(.invalidEncoding(encoding, byteOffset: offset, byteOrderMark: true))
        }
        return .success(String(decoding: units, as: UTF16.self))
    }
}
