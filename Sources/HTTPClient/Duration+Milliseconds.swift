extension Duration {
    /// The duration in whole milliseconds for libcurl's `*_MS` options, rounded up and at least 1:
    /// libcurl reads 0 as "no limit", which must never be what a tiny timeout turns into.
    var curlMilliseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return 1 }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow, whole < Int64(Int.max / 2) else { return Int.max / 2 }
        let fraction = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Swift.max(1, Int(whole + fraction))
    }
}
