import Postgres

extension Usage {
    /// The usage in a row's `input_tokens`, `cached_tokens`, `output_tokens`, `reasoning_tokens`
    /// and `total_tokens` columns; nil when `total_tokens` is NULL (no result yet).
    static func decoded(from row: PostgresRow) throws -> Usage? {
        guard let total = try row.decode("total_tokens", as: Int?.self) else { return nil }
        return Usage(
            inputTokens: try row.decode("input_tokens", as: Int?.self) ?? 0, cachedTokens: try row.decode("cached_tokens", as: Int?.self) ?? 0,
            outputTokens: try row.decode("output_tokens", as: Int?.self) ?? 0, reasoningTokens: try row.decode("reasoning_tokens", as: Int?.self) ?? 0,
            totalTokens: total)
    }
}
