import Foundation
import Testing

/// A batch's `manifest.jsonl`, parsed line by line (each line must be one JSON object).
struct BatchManifest {
    /// The lines in file order.
    let lines: [[String: Any]]

    init(contentsOf url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasSuffix("\n"), "manifest.jsonl does not end with a newline")
        lines = try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw ManifestError(description: "a manifest line is not a JSON object: \(line)")
            }
            return object
        }
    }

    /// The `path` of every line, in order.
    var paths: [String] { lines.map { $0["path"] as? String ?? "?" } }

    /// The line for `path`.
    subscript(path: String) -> [String: Any]? {
        lines.first { $0["path"] as? String == path }
    }

    struct ManifestError: Error, CustomStringConvertible {
        let description: String
    }
}
