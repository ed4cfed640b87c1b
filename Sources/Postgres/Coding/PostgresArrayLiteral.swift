/// One-dimensional array literals, `{a,"b c",NULL}`, as PostgreSQL writes and reads them.
enum PostgresArrayLiteral {
    /// Quotes every element (so no element text is ever special) and writes NULL unquoted.
    /// Works on UTF-8 bytes: a quote and a backslash are single bytes that never occur inside a
    /// multi-byte character, and appending scalar by scalar to a `String` cost `longhaul batch`
    /// more than the server's parsing of the literal (document texts go through here).
    static func format(_ elements: [String?]) -> String {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(elements.reduce(2) { $0 + ($1?.utf8.count ?? 4) + 3 })
        bytes.append(UInt8(ascii: "{"))
        for (position, element) in elements.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            guard let element else {
                bytes.append(contentsOf: "NULL".utf8)
                continue
            }
            bytes.append(quote)
            for byte in element.utf8 {
                if byte == quote || byte == backslash { bytes.append(backslash) }
                bytes.append(byte)
            }
            bytes.append(quote)
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses the elements; `nil` is an unquoted NULL. Multi-dimensional arrays are refused.
    static func parse(_ text: Substring) throws -> [Substring?] {
        var scalars = Substring.UnicodeScalarView(text.unicodeScalars)
        // Arrays with non-default bounds start with a dimension decoration, `[0:2]={…}`.
        if scalars.first == "[", let equals = scalars.firstIndex(of: "=") {
            scalars = scalars[scalars.index(after: equals)...]
        }
        guard scalars.first == "{", scalars.last == "}" else {
            throw PostgresDecodingFailure("not an array literal (expected {…})")
        }
        var body = scalars.dropFirst().dropLast()[...]
        var elements: [Substring?] = []
        if body.allSatisfy({ $0 == " " }) { return elements }
        while true {
            while body.first == " " { body.removeFirst() }
            if body.first == "{" {
                throw PostgresDecodingFailure("multi-dimensional arrays are not supported")
            }
            var element = Substring.UnicodeScalarView()
            var quoted = false
            if body.first == "\"" {
                quoted = true
                body.removeFirst()
                var closed = false
                while let scalar = body.popFirst() {
                    if scalar == "\\" {
                        guard let escaped = body.popFirst() else { break }
                        element.append(escaped)
                    } else if scalar == "\"" {
                        closed = true
                        break
                    } else {
                        element.append(scalar)
                    }
                }
                guard closed else { throw PostgresDecodingFailure("array literal has an unterminated quoted element") }
                while body.first == " " { body.removeFirst() }
            } else {
                while let scalar = body.first, scalar != "," {
                    body.removeFirst()
                    if scalar == "\\", let escaped = body.popFirst() {
                        element.append(escaped)
                    } else {
                        element.append(scalar)
                    }
                }
                while element.last == " " { element.removeLast() }
            }
            let value = Substring(element)
            elements.append(!quoted && value.uppercased() == "NULL" ? nil : value)
            guard let separator = body.popFirst() else { break }
            guard separator == "," else {
                throw PostgresDecodingFailure("array literal has text after a quoted element")
            }
        }
        return elements
    }
}
