import Foundation

/// The fields of an `application/x-www-form-urlencoded` body or a query string, in order,
/// repeated names kept (the job checkboxes of a list all send `id`).
struct FormBody: Sendable, Equatable {
    var fields: [(name: String, value: String)]

    init(encoded: String) {
        fields = encoded.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// The first value of `name`, or nil when absent.
    subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// The first non-empty value of `name`, trimmed.
    func nonEmpty(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// Every value of `name`.
    func all(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    static func == (a: FormBody, b: FormBody) -> Bool {
        a.fields.elementsEqual(b.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}
