/// One-dimensional array literals, `{a,"b c",NULL}`, as PostgreSQL writes and reads them.
enum PostgresArrayLiteral {
    /// Quotes every element (so no element text is ever special) and writes NULL unquoted.
    static func format(_ elements: [String?]) -> String {
        var text = "{"
        for (position, element) in elements.enumerated() {
            if position > 0 { text += "," }
            guard let element else {
                text += "NULL"
                continue
            }
            text += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { text += "\\" }
                text.unicodeScalars.append(character)
            }
            text += "\""
        }
        return text + "}"
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
