/// `service_tier` of a Responses request: how Mantle schedules and bills the call. Mantle accepted
/// `auto` (answered as `default`), `default` and `flex` in the field probe (`shared/mantle-api.md`
/// §3); `flex` trades latency for a lower price, which suits background summaries. Omitted, the
/// endpoint's default applies.
public enum ServiceTier: String, Sendable, Hashable, Codable, CaseIterable {
    case auto
    case `default`
    case flex
}
