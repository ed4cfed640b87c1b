/// Decodes HTML and XML character references (`&amp;`, `&eacute;`, `&#233;`, `&#xE9;`).
///
/// Named references cover XML's five and the common HTML ones; an unknown name, or a reference
/// without its `;`, is left as written, as browsers mostly do. Look-ahead is bounded, so decoding
/// stays linear on any input.
enum CharacterEntities {
    /// The longest name or number looked at after `&`.
    private static let maximumLength = 32

    /// Decodes the reference starting at `buffer[start]` (an `&`); returns the UTF-8 bytes of the
    /// character and how many input bytes it used, or `nil` if there is no reference there.
    static func decode(_ buffer: UnsafeBufferPointer<UInt8>, at start: Int) -> (character: [UInt8], length: Int)? {
        let end = min(buffer.count, start + maximumLength + 3)
        var index = start + 1
        guard index < end else { return nil }
        var scalar: Unicode.Scalar?
        if buffer[index] == UInt8(ascii: "#") {
            index += 1
            let hexadecimal = index < end && (buffer[index] | 0x20) == UInt8(ascii: "x")
            if hexadecimal { index += 1 }
            let digitsStart = index
            var value: UInt32 = 0
            while index < end, let digit = digitValue(buffer[index], hexadecimal: hexadecimal) {
                value = min(value &* (hexadecimal ? 16 : 10) &+ digit, 0x11_0000)
                index += 1
            }
            guard index > digitsStart, index < end, buffer[index] == UInt8(ascii: ";") else { return nil }
            // NUL, surrogates and values past U+10FFFF become U+FFFD, as the HTML standard says.
            scalar = value == 0 ? "\u{FFFD}" : Unicode.Scalar(value) ?? "\u{FFFD}"
        } else {
            let nameStart = index
            while index < end, isNameByte(buffer[index]) { index += 1 }
            guard index > nameStart, index < end, buffer[index] == UInt8(ascii: ";") else { return nil }
            let name = String(decoding: UnsafeBufferPointer(rebasing: buffer[nameStart..<index]), as: UTF8.self)
            guard let named = named[name] else { return nil }
            scalar = named
        }
        guard let scalar else { return nil }
        return (Array(String(Character(scalar)).utf8), index + 1 - start)
    }

    private static func digitValue(_ byte: UInt8, hexadecimal: Bool) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hexadecimal: UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hexadecimal: UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// `&nbsp;` becomes a plain space: summaries have no use for non-breaking spaces, and a plain
    /// one lets whitespace collapse. `&shy;` (a soft hyphen) becomes nothing visible.
    private static let named: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
        "copy": "\u{A9}", "reg": "\u{AE}", "trade": "\u{2122}", "deg": "\u{B0}", "sect": "\u{A7}",
        "para": "\u{B6}", "middot": "\u{B7}", "bull": "\u{2022}", "hellip": "\u{2026}",
        "mdash": "\u{2014}", "ndash": "\u{2013}", "shy": "\u{AD}", "minus": "\u{2212}",
        "lsquo": "\u{2018}", "rsquo": "\u{2019}", "sbquo": "\u{201A}", "ldquo": "\u{201C}",
        "rdquo": "\u{201D}", "bdquo": "\u{201E}", "laquo": "\u{AB}", "raquo": "\u{BB}",
        "lsaquo": "\u{2039}", "rsaquo": "\u{203A}", "prime": "\u{2032}", "Prime": "\u{2033}",
        "euro": "\u{20AC}", "pound": "\u{A3}", "yen": "\u{A5}", "cent": "\u{A2}", "curren": "\u{A4}",
        "times": "\u{D7}", "divide": "\u{F7}", "plusmn": "\u{B1}", "frac12": "\u{BD}",
        "frac14": "\u{BC}", "frac34": "\u{BE}", "sup2": "\u{B2}", "sup3": "\u{B3}", "micro": "\u{B5}",
        "iexcl": "\u{A1}", "iquest": "\u{BF}", "ordf": "\u{AA}", "ordm": "\u{BA}", "dagger": "\u{2020}",
        "Dagger": "\u{2021}", "permil": "\u{2030}", "larr": "\u{2190}", "rarr": "\u{2192}",
        "uarr": "\u{2191}", "darr": "\u{2193}", "harr": "\u{2194}", "le": "\u{2264}", "ge": "\u{2265}",
        "ne": "\u{2260}", "asymp": "\u{2248}", "infin": "\u{221E}", "check": "\u{2713}",
        "agrave": "\u{E0}", "aacute": "\u{E1}", "acirc": "\u{E2}", "atilde": "\u{E3}", "auml": "\u{E4}",
        "aring": "\u{E5}", "aelig": "\u{E6}", "ccedil": "\u{E7}", "egrave": "\u{E8}", "eacute": "\u{E9}",
        "ecirc": "\u{EA}", "euml": "\u{EB}", "igrave": "\u{EC}", "iacute": "\u{ED}", "icirc": "\u{EE}",
        "iuml": "\u{EF}", "eth": "\u{F0}", "ntilde": "\u{F1}", "ograve": "\u{F2}", "oacute": "\u{F3}",
        "ocirc": "\u{F4}", "otilde": "\u{F5}", "ouml": "\u{F6}", "oslash": "\u{F8}", "ugrave": "\u{F9}",
        "uacute": "\u{FA}", "ucirc": "\u{FB}", "uuml": "\u{FC}", "yacute": "\u{FD}", "thorn": "\u{FE}",
        "yuml": "\u{FF}", "szlig": "\u{DF}", "oelig": "\u{153}", "scaron": "\u{161}",
        "Agrave": "\u{C0}", "Aacute": "\u{C1}", "Acirc": "\u{C2}", "Atilde": "\u{C3}", "Auml": "\u{C4}",
        "Aring": "\u{C5}", "AElig": "\u{C6}", "Ccedil": "\u{C7}", "Egrave": "\u{C8}", "Eacute": "\u{C9}",
        "Ecirc": "\u{CA}", "Euml": "\u{CB}", "Igrave": "\u{CC}", "Iacute": "\u{CD}", "Icirc": "\u{CE}",
        "Iuml": "\u{CF}", "ETH": "\u{D0}", "Ntilde": "\u{D1}", "Ograve": "\u{D2}", "Oacute": "\u{D3}",
        "Ocirc": "\u{D4}", "Otilde": "\u{D5}", "Ouml": "\u{D6}", "Oslash": "\u{D8}", "Ugrave": "\u{D9}",
        "Uacute": "\u{DA}", "Ucirc": "\u{DB}", "Uuml": "\u{DC}", "Yacute": "\u{DD}", "THORN": "\u{DE}",
        "OElig": "\u{152}", "Scaron": "\u{160}",
        "alpha": "\u{3B1}", "beta": "\u{3B2}", "gamma": "\u{3B3}", "delta": "\u{3B4}", "pi": "\u{3C0}",
        "sigma": "\u{3C3}", "mu": "\u{3BC}", "lambda": "\u{3BB}", "omega": "\u{3C9}", "Omega": "\u{3A9}",
        "Delta": "\u{394}", "Sigma": "\u{3A3}",
    ]
}
