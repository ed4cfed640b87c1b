import ArgumentParser
import Foundation
import LonghaulCore

/// How operator commands write values in tables: dates as ISO 8601 in UTC to the second, nil as `-`.
enum Cell {
    static func date(_ date: Date?) -> String {
        guard let date else { return "-" }
        return date.formatted(.iso8601)
    }

    static func text(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return "-" }
        return value
    }

    static func number(_ value: Int?) -> String {
        value.map(String.init) ?? "-"
    }

    static func tags(_ tags: [String: String]) -> String {
        tags.isEmpty ? "-" : tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}

/// Times given on the command line: an ISO 8601 date (`2026-08-01`, midnight UTC) or date-time
/// (`2026-08-01T12:00:00Z`, with an offset or Z, optionally with fractional seconds).
enum CommandLineDate {
    static func parse(_ text: String, option: String) throws -> Date {
        if text.count == 10, let date = try? Date(text + "T00:00:00Z", strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        throw ArgumentParser.ValidationError(
            "\(option) '\(text)' is not an ISO 8601 date (2026-08-01) or date-time with a zone (2026-08-01T12:00:00Z)")
    }
}

/// A failure of an operator command: printed as one line (`Error: …`), without the usage text
/// that argument mistakes get.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `withSession` for operator commands: what the store refuses (an unknown name, a conflict) is a
/// one-line failure rather than a usage error.
func withOperatorSession<T: Sendable>(_ options: GlobalOptions, _ body: (DatabaseSession) async throws -> T) async throws -> T {
    do {
        return try await withSession(options, body)
    } catch let error as ArgumentParser.ValidationError {
        throw CommandFailure(error.message)
    }
}

/// Prints `value` as one JSON document (snake_case keys, ISO 8601 dates).
func printJSON(_ value: some Encodable) throws {
    print(try jsonLine(value))
}
