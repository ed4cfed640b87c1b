import Foundation

/// The `Date` header's value (RFC 9110 §5.6.7, IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`),
/// formatted once a second per connection by ``ResponsesFastLane``, as Hummingbird's own cache
/// does once a second for the answers it writes.
struct HTTPDate {
    private var second = Int.min
    private var text = ""
    private let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }()

    /// The value for the second `unixSeconds` falls in.
    mutating func value(at unixSeconds: Double) -> String {
        let now = Int(unixSeconds.rounded(.down))
        if now != second {
            second = now
            text = formatter.string(from: Date(timeIntervalSince1970: Double(now)))
        }
        return text
    }
}
