import Foundation
import OpenAPIRuntime

/// RFC 3339 dates with or without fractional seconds, as clients send them; written with
/// milliseconds so nothing the database keeps is lost on the way out.
struct LenientDateTranscoder: DateTranscoder {
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let whole = Date.ISO8601FormatStyle()

    func encode(_ date: Date) throws -> String {
        Self.fractional.format(date)
    }

    func decode(_ text: String) throws -> Date {
        let normalized = text.uppercased()
        if let date = try? Self.fractional.parse(normalized) { return date }
        if let date = try? Self.whole.parse(normalized) { return date }
        throw InvalidDate(text: String(text.prefix(40)))
    }
}

/// A date that is not RFC 3339. (The decoder gives the transcoder no coding path, so the
/// refusal names the value rather than the field.)
struct InvalidDate: Error, CustomStringConvertible {
    let text: String
    var description: String { "'\(text)' is not an RFC 3339 date-time such as 2026-11-23T09:30:00Z" }
}
