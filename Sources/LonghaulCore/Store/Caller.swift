/// Who a request acts for, and whether it may change anything.
///
/// The REST API and the dashboard both authorise by this: the principal scopes what is seen, and a
/// read-only caller is refused every write (403 in the API; the dashboard shows no action).
public struct Caller: Sendable, Equatable {
    public var principal: Principal
    /// A token created with `--read-only`.
    public var readOnly: Bool

    public init(principal: Principal, readOnly: Bool) {
        self.principal = principal
        self.readOnly = readOnly
    }
}
