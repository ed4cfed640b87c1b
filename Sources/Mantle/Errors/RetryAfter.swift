public import Foundation
public import HTTPClient

/// Parses the server's requested delay from `retry-after-ms` and `Retry-After`.
///
/// The order follows openai-python's `_calculate_retry_timeout` (`shared/mantle-api.md` §5):
/// `retry-after-ms` (milliseconds) first, then `Retry-After` as seconds (integer or decimal), then
/// `Retry-After` as an HTTP date measured from `now`. A missing, unparsable, non-positive or
/// non-finite value gives nil. Unlike the SDK, a value over 120 s is returned as it is: the SDK
/// drops it because it would sleep in-process, whereas Longhaul reschedules the job.
public enum RetryAfter {
    /// The delay the headers ask for, or nil.
    public static func parse(_ headers: HTTPHeaders, now: Date) -> Duration? {
        if let raw = headers["retry-after-ms"], let millis = Double(raw.trimmingWhitespace), millis.isFinite,
            millis > 0
        {
            return .milliseconds(millis)
        }
        guard let raw = headers["retry-after"]?.trimmingWhitespace, !raw.isEmpty else { return nil }
        if let seconds = Double(raw) {
            return seconds.isFinite && seconds > 0 ? .milliseconds(seconds * 1000) : nil
        }
        guard let date = httpDate(raw) else { return nil }
        let seconds = date.timeIntervalSince(now)
        return seconds > 0 ? .milliseconds((seconds * 1000).rounded()) : nil
    }

    /// Parses the three HTTP-date forms of RFC 9110 §5.6.7 (IMF-fixdate, RFC 850, asctime).
    static func httpDate(_ text: String) -> Date? {
        // A formatter per call: DateFormatter is not Sendable, and Retry-After dates are rare.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
