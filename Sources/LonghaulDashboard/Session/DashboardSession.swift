public import LonghaulCore

/// A signed-in browser: who it acts for and the token its forms must carry.
public struct DashboardSession: Sendable, Equatable {
    public var caller: Caller
    /// Rendered into every form of the session as `_csrf`, compared on every POST.
    public var csrfToken: String

    /// Whether the session may act (cancel, retry, redeliver): not with a read-only token.
    public var mayAct: Bool { !caller.readOnly }
}
