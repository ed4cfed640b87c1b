import Foundation
import OpenAPIRuntime

/// RFC 3339 dates with or without fractional seconds, as clients send them; written with
/// milliseconds so nothing the database keeps is lost on the way out.
struct RFC3339DateTranscoder: DateTranscoder {
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    func encode(_ date: Date) throws -> String {
        Self.text(date)
    }

    /// `date` as the API writes it (also where a body is written by hand, `Job+JSONBytes`).
    static func text(_ date: Date) -> String {
        fractional.format(date)
    }

    /// The same strict parser the request validator checks `format: date-time` with, so a date
    /// that passed validation always decodes.
    func decode(_ text: String) throws -> Date {
        guard let date = RFC3339.date(from: text) else { throw InvalidDate(text: String(text.prefix(40))) }
        return date
    }
}

/// A date that is not RFC 3339. (The decoder gives the transcoder no coding path, so the
/// refusal names the value rather than the field.)
struct InvalidDate: Error, CustomStringConvertible {
    let text: String
    var description: String { "'\(text)' is not an RFC 3339 date-time such as 2026-11-23T09:30:00Z" }
}
