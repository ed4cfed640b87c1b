extension ModelPrice {
    /// What `usage` costs at this price: uncached input, cached input (at the input price when
    /// no cached price is set) and output, as `UsageStore.report` sums it in SQL.
    public func cost(of usage: Usage) -> Double {
        let cached = min(usage.cachedTokens, usage.inputTokens)
        let uncached = max(usage.inputTokens - cached, 0)
        return
            (Double(uncached) * inputPerMillion + Double(cached) * (cachedInputPerMillion ?? inputPerMillion)
            + Double(usage.outputTokens) * outputPerMillion) / 1_000_000
    }
}
