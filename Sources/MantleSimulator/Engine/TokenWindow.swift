/// Tokens admitted for one project over a rolling window (Mantle's rule: a request is admitted on
/// `input + max_output_tokens` and refused with 429 when that would exceed the per-minute quota).
struct TokenWindow: Sendable {
    private var entries: [(at: Double, tokens: Int)] = []
    private var head = 0
    private(set) var sum = 0

    /// Admits `tokens` at `now`, or returns how many seconds until enough of the window expires.
    mutating func admit(_ tokens: Int, limit: Int, now: Double, window: Double) -> Double? {
        expire(before: now - window)
        if sum + tokens <= limit {
            entries.append((now, tokens))
            sum += tokens
            return nil
        }
        // Walk forward until enough tokens would have left the window.
        var freed = 0
        for entry in entries[head...] {
            freed += entry.tokens
            if sum - freed + tokens <= limit { return max(0, entry.at + window - now) }
        }
        return window  // larger than the whole quota: never admittable; wait a full window
    }

    private mutating func expire(before cutoff: Double) {
        while head < entries.count, entries[head].at <= cutoff {
            sum -= entries[head].tokens
            head += 1
        }
        if head > 1024, head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }
}
