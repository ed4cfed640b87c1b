import Foundation
import LonghaulCore

/// The usage page's choices, as they stand in its URL: the grouping (`day`, `model` or
/// `tag:KEY`), the period of finishing times, and a project (admins).
struct UsageQuery: Sendable, Equatable {
    var grouping: UsageGrouping = .day
    var project: String?
    var from: String?
    var to: String?

    /// Without `from`: the last 24 hours. The report reads every job that ended in the period
    /// (with 1,000,000 jobs over 30 days, ~33,000 a day), so a longer one is asked for, not the default.
    static let defaultHours = 24

    init(_ query: FormBody) throws {
        let group = query.nonEmpty("group") ?? "day"
        let key = query.nonEmpty("tag")
        do throws(ValidationError) {
            grouping = try UsageGrouping(parsing: group == "tag" ? "tag:\(key ?? "")" : group)
        } catch {
            throw DashboardError.invalid(group == "tag" ? "name the tag to group by (e.g. customer)" : error.message)
        }
        project = query.nonEmpty("project")
        from = query.nonEmpty("from")
        to = query.nonEmpty("to")
        try JobsQuery.checkDates(from: from, to: to)
    }

    /// The period's start: `from`, or `defaultHours` before `now`.
    func start(now: Date) -> Date {
        from.flatMap(JobsQuery.date) ?? now.addingTimeInterval(-Double(Self.defaultHours) * 3600)
    }

    var end: Date? { to.flatMap(JobsQuery.date) }

    /// `tag`'s key when grouping by tag.
    var tagKey: String? {
        if case .tag(let key) = grouping { return key }
        return nil
    }
}
