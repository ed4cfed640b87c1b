import Foundation
import LonghaulCore

/// The filters of the jobs page, as they stand in its URL (so a view can be shared): every
/// condition given must hold (AND). `state=failed&model=openai.gpt-oss-120b&meta=customer=acme`.
struct JobsQuery: Sendable, Equatable {
    var state: JobState?
    /// A project slug (admins; a project token always sees its own project only).
    var project: String?
    var batch: String?
    var model: String?
    /// `key` or `key=value`.
    var meta: String?
    /// Created at or after (a day `2026-12-01` or an RFC 3339 time).
    var from: String?
    /// Created before.
    var to: String?
    /// Text in the source file name.
    var search: String?
    var cursor: String?

    /// The parameters, in the order the page's form shows them.
    static let names = ["state", "project", "batch", "model", "meta", "from", "to", "q"]

    /// Reads the query string; a value that cannot be a filter is a `DashboardError.invalid` naming it.
    init(_ query: FormBody) throws {
        if let state = query.nonEmpty("state") {
            guard let parsed = JobState(rawValue: state) else {
                throw DashboardError.invalid(
                    "state '\(state)' is not a job state; use one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.state = parsed
        }
        project = query.nonEmpty("project")
        batch = query.nonEmpty("batch")
        model = query.nonEmpty("model")
        meta = query.nonEmpty("meta")
        from = query.nonEmpty("from")
        to = query.nonEmpty("to")
        search = query.nonEmpty("q")
        cursor = query.nonEmpty("cursor")
        try Self.checkDates(from: from, to: to)
    }

    /// A `DashboardError.invalid` naming the first of `from` and `to` that is not a date.
    static func checkDates(from: String?, to: String?) throws {
        for (name, value) in [("from", from), ("to", to)] {
            if let value, date(value) == nil {
                throw DashboardError.invalid("\(name) '\(value)' is not a date; write 2026-12-01 or 2026-12-01T09:30:00Z")
            }
        }
    }

    init() {}

    /// The store's filter for a caller who sees `projectID` (nil: every project).
    func filter(projectID: Int64?) -> JobFilter {
        var filter = JobFilter(
            projectID: projectID, state: state, batchPublicID: batch, createdAfter: from.flatMap(Self.date),
            createdBefore: to.flatMap(Self.date))
        if let meta {
            let parts = meta.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            filter.metadataKey = String(parts[0])
            filter.metadataValue = parts.count > 1 ? String(parts[1]) : nil
        }
        filter.model = model
        filter.sourceContains = search
        return filter
    }

    /// The query string of these filters (and `cursor` when asked), percent-encoded.
    func queryString(includingCursor: Bool = false) -> String {
        var items: [(String, String)] = []
        let values = [state?.rawValue, project, batch, model, meta, from, to, search]
        for (name, value) in zip(Self.names, values) {
            if let value { items.append((name, value)) }
        }
        if includingCursor, let cursor { items.append(("cursor", cursor)) }
        return items.map { "\($0.0)=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
    }

    /// Whether any filter is set.
    var isFiltered: Bool { !queryString().isEmpty }

    /// A value for a URL's query: everything but unreserved characters percent-encoded.
    static func percentEncoded(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A day (midnight UTC) or an RFC 3339 time.
    static func date(_ text: String) -> Date? {
        if let time = try? Date(text, strategy: .iso8601) { return time }
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        return text.utf8.count == 10 ? day.date(from: text) : nil
    }
}
