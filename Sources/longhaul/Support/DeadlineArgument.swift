import ArgumentParser
import Foundation

/// `--deadline`: a time (ISO 8601, `2027-01-31T18:00:00Z`) or a span from now (`90m`, `2h`).
struct DeadlineArgument: ExpressibleByArgument, Sendable, Equatable {
    private enum Kind: Equatable {
        case at(Date)
        case after(HumanDuration)
    }

    private let kind: Kind

    init?(argument: String) {
        if let date = try? Date(argument, strategy: .iso8601) {
            kind = .at(date)
        } else if let span = HumanDuration(argument: argument), span.seconds > 0 {
            kind = .after(span)
        } else {
            return nil
        }
    }

    /// The deadline as a time, a span counted from `now`.
    func date(from now: Date) -> Date {
        switch kind {
        case .at(let date): date
        case .after(let span): now.addingTimeInterval(TimeInterval(span.seconds))
        }
    }
}
