/// Anthropic's prompt cache as the simulator keeps it: a prefix marked with `cache_control` is
/// written on first use (`cache_creation_input_tokens`) and read while it lives
/// (`cache_read_input_tokens`), per project and model, for 5 minutes after its last use. Real
/// minutes, not scaled by speed: at speed 1000 a scaled cache would last 0.3 s and vanish between
/// two calls of a test on a busy machine. Prefixes under 1,024 tokens are not cached (Anthropic's
/// minimum for Opus and Sonnet).
struct PromptCache: Sendable {
    /// How one request used the cache, in input tokens.
    struct Use: Sendable, Equatable {
        var read = 0
        var written = 0
    }

    static let minimumTokens = 1024
    static let lifetimeSeconds = 300.0

    private var expiries: [String: Double] = [:]

    /// Records a use of `prefix` (of `tokens` tokens) at `now`.
    mutating func use(project: String, model: String, prefix: String, tokens: Int, now: Double) -> Use {
        guard tokens >= Self.minimumTokens else { return Use() }
        let key = "\(project)\u{1F}\(model)\u{1F}\(prefix)"
        let live = (expiries[key] ?? 0) > now
        if expiries.count > 10_000 { expiries = expiries.filter { $0.value > now } }
        expiries[key] = now + Self.lifetimeSeconds
        return live ? Use(read: tokens) : Use(written: tokens)
    }
}
