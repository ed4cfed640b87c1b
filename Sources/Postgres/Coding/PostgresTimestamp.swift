import Foundation

/// `timestamptz` text without Foundation's date formatters: the session runs with
/// `TimeZone=UTC` and `DateStyle=ISO`, so values look like `2024-05-01 12:00:00.25+00`, but any
/// offset (`+05:30`, `-08`, `+00:53:28`), `BC`, `infinity`, `timestamp` and `date` are read too.
enum PostgresTimestamp {
    private static let microsecondsPerDay: Int64 = 86_400_000_000

    /// UTC with six fractional digits; the nearest microsecond, as the server keeps no finer.
    static func format(_ date: Date) -> String {
        if date == .distantFuture { return "infinity" }
        if date == .distantPast { return "-infinity" }
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (days, microOfDay) = floorDivide(micros, microsecondsPerDay)
        let (year, month, day) = civil(fromDays: days)
        let seconds = microOfDay / 1_000_000
        var text = year > 0 ? pad(year, 4) : pad(1 - year, 4)
        text += "-" + pad(month, 2) + "-" + pad(day, 2)
        text += " " + pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        text += "." + pad(microOfDay % 1_000_000, 6) + "+00"
        if year <= 0 { text += " BC" }
        return text
    }

    /// Parses `YYYY-MM-DD[ HH:MM:SS[.ffffff]][±HH[:MM[:SS]]][ BC]`.
    static func parse(_ text: Substring) throws -> Date {
        switch text {
        case "infinity": return .distantFuture
        case "-infinity": return .distantPast
        default: break
        }
        var reader = Reader(bytes: Array(text.utf8))
        var year = try reader.number(minDigits: 4)
        try reader.expect("-")
        let month = try reader.number(digits: 2)
        try reader.expect("-")
        let day = try reader.number(digits: 2)
        var micros: Int64 = 0
        var offsetSeconds: Int64 = 0
        if reader.peek == UInt8(ascii: " ") || reader.peek == UInt8(ascii: "T") {
            reader.index += 1
            let hour = try reader.number(digits: 2)
            try reader.expect(":")
            let minute = try reader.number(digits: 2)
            try reader.expect(":")
            let second = try reader.number(digits: 2)
            micros = (hour * 3600 + minute * 60 + second) * 1_000_000
            if reader.peek == UInt8(ascii: ".") {
                reader.index += 1
                var scale: Int64 = 100_000
                var fraction: Int64 = 0
                while let digit = reader.digit() {
                    fraction += digit * scale
                    scale /= 10
                }
                micros += fraction
            }
            if let sign = reader.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                reader.index += 1
                var offset = try reader.number(digits: 2) * 3600
                if reader.peek == UInt8(ascii: ":") {
                    reader.index += 1
                    offset += try reader.number(digits: 2) * 60
                    if reader.peek == UInt8(ascii: ":") {
                        reader.index += 1
                        offset += try reader.number(digits: 2)
                    }
                }
                offsetSeconds = sign == UInt8(ascii: "+") ? offset : -offset
            }
        }
        if reader.rest.elementsEqual(" BC".utf8) {
            year = 1 - year
            reader.index = reader.bytes.count
        }
        guard reader.index == reader.bytes.count, (1...12).contains(month), (1...31).contains(day) else {
            throw PostgresDecodingFailure("not a timestamp in ISO format")
        }
        let days = Self.days(fromCivil: year, month, day)
        let total = days * microsecondsPerDay + micros - offsetSeconds * 1_000_000
        return Date(timeIntervalSince1970: Double(total) / 1_000_000)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400).quotient
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097).quotient
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = a >= 0 ? a / b : (a - b + 1) / b
        return (quotient, a - quotient * b)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// A cursor over ASCII bytes.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
        var rest: ArraySlice<UInt8> { bytes[index...] }

        mutating func digit() -> Int64? {
            guard let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            index += 1
            return Int64(byte - UInt8(ascii: "0"))
        }

        mutating func number(digits: Int) throws -> Int64 {
            var value: Int64 = 0
            for _ in 0..<digits {
                guard let digit = digit() else { throw PostgresDecodingFailure("not a timestamp in ISO format") }
                value = value * 10 + digit
            }
            return value
        }

        mutating func number(minDigits: Int) throws -> Int64 {
            var value: Int64 = 0
            var count = 0
            while count < 9, let digit = digit() {
                value = value * 10 + digit
                count += 1
            }
            guard count >= minDigits else { throw PostgresDecodingFailure("not a timestamp in ISO format") }
            return value
        }

        mutating func expect(_ character: Unicode.Scalar) throws {
            guard peek == UInt8(ascii: character) else { throw PostgresDecodingFailure("not a timestamp in ISO format") }
            index += 1
        }
    }
}
