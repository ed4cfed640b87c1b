import Foundation

/// The final Response JSON of a job as its page shows it: pretty-printed with sorted keys, and
/// with the value of any field that could carry a credential replaced by `[redacted]`.
///
/// Mantle's Response carries no credential today; the redaction is for what a future field or
/// an echoed request could hold (an `authorization` header, an `api_key`), since the page is
/// read by everyone with a token of the project. Text that is not JSON is shown as stored.
enum ResponseJSON {
    /// Field names (lower-cased) whose values are never shown.
    static let secretKeys: Set<String> = [
        "authorization", "api_key", "apikey", "x-api-key", "secret", "client_secret", "password", "access_token",
        "refresh_token", "session_token", "aws_secret_access_key", "aws_session_token", "webhook_secret",
    ]

    /// The most a page shows: a Response is a few kB, with reasoning some hundred kB.
    static let limit = 500_000

    static func shown(_ raw: String) -> String {
        guard let data = raw.data(using: .utf8), let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
            let pretty = try? JSONSerialization.data(
                withJSONObject: redacted(parsed), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        else { return HTMLEscaping.shortened(raw, to: limit) }
        return HTMLEscaping.shortened(String(decoding: pretty, as: UTF8.self), to: limit)
    }

    static func redacted(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var out: [String: Any] = [:]
            for (key, inner) in object {
                out[key] = secretKeys.contains(key.lowercased()) ? "[redacted]" : redacted(inner)
            }
            return out
        }
        if let array = value as? [Any] { return array.map(redacted) }
        return value
    }
}
