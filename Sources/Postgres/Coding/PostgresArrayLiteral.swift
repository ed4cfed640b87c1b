/// One-dimensional array literals, `{a,"b c",NULL}`, as PostgreSQL writes and reads them.
enum PostgresArrayLiteral {
    /// Quotes every element (so no element text is ever special) and writes NULL unquoted.
    /// Works on UTF-8 bytes: a quote and a backslash are single bytes that never occur inside a
    /// multi-byte character, and appending scalar by scalar to a `String` cost `longhaul batch`
    /// more than the server's parsing of the literal (document texts go through here).
    static func format(_ elements: [String?]) -> String {
        let quote = UInt8(ascii: "\"")
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
            appendEscaped(element, to: &bytes)
            bytes.append(quote)
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `element`'s UTF-8 with a backslash before each quote and backslash, copying the
    /// runs between them whole: byte by byte, a 2 KB document (every job the API enqueues) or a
    /// webhook body (every ending) cost 1–2 % of the server's and the worker's CPU.
    private static func appendEscaped(_ element: String, to bytes: inout [UInt8]) {
        let done: Void? = element.utf8.withContiguousStorageIfAvailable { appendEscaped($0, to: &bytes) }
        if done == nil { Array(element.utf8).withUnsafeBufferPointer { appendEscaped($0, to: &bytes) } }
    }

    private static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var start = 0
        for index in utf8.indices where utf8[index] == quote || utf8[index] == backslash {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
            bytes.append(backslash)
            start = index
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
    }

    /// Parses the elements; `nil` is an unquoted NULL. Multi-dimensional arrays are refused.
    /// Works on UTF-8 bytes, as `format` does: scalar by scalar, through generic
    /// `Substring.UnicodeScalarView` appends, a one-element array of a URL cost 14 % of a
    /// worker's CPU (the finalizer's endpoint columns, one row per ended job).
    static func parse(_ text: Substring) throws -> [Substring?] {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), comma = UInt8(ascii: ","), space = UInt8(ascii: " ")
        let utf8 = Array(text.utf8)
        var body = utf8[...]
        // Arrays with non-default bounds start with a dimension decoration, `[0:2]={…}`.
        if body.first == UInt8(ascii: "["), let equals = body.firstIndex(of: UInt8(ascii: "=")) {
            body = body[(equals + 1)...]
        }
        guard body.first == UInt8(ascii: "{"), body.last == UInt8(ascii: "}") else {
            throw PostgresDecodingFailure("not an array literal (expected {…})")
        }
        body = body.dropFirst().dropLast()
        var elements: [Substring?] = []
        if body.allSatisfy({ $0 == space }) { return elements }
        var element: [UInt8] = []
        while true {
            while body.first == space { body.removeFirst() }
            if body.first == UInt8(ascii: "{") {
                throw PostgresDecodingFailure("multi-dimensional arrays are not supported")
            }
            element.removeAll(keepingCapacity: true)
            var quoted = false
            if body.first == quote {
                quoted = true
                body.removeFirst()
                var closed = false
                while let byte = body.popFirst() {
                    if byte == backslash {
                        guard let escaped = body.popFirst() else { break }
                        element.append(escaped)
                    } else if byte == quote {
                        closed = true
                        break
                    } else {
                        element.append(byte)
                    }
                }
                guard closed else { throw PostgresDecodingFailure("array literal has an unterminated quoted element") }
                while body.first == space { body.removeFirst() }
            } else {
                while let byte = body.first, byte != comma {
                    body.removeFirst()
                    if byte == backslash, let escaped = body.popFirst() {
                        element.append(escaped)
                    } else {
                        element.append(byte)
                    }
                }
                while element.last == space { element.removeLast() }
            }
            // An unquoted NULL, in any case, is the null element; quoted, it is the text.
            let isNull = !quoted && element.count == 4 && element.map { $0 | 0x20 }.elementsEqual("null".utf8)
            elements.append(isNull ? nil : Substring(String(decoding: element, as: UTF8.self)))
            guard let separator = body.popFirst() else { break }
            guard separator == comma else {
                throw PostgresDecodingFailure("array literal has text after a quoted element")
            }
        }
        return elements
    }
}
