/// How the dashboard behaves: where it is published and how long a sign-in lasts.
public struct DashboardConfiguration: Sendable {
    /// `LONGHAUL_PUBLIC_URL`: when it is `https://…`, cookies are `Secure` whatever the request says.
    public var publicBaseURL: String
    /// How long a session lasts after sign-in (8 hours: a working day, then sign in again).
    public var sessionLifetime: Duration
    /// Rows on one page of a list.
    public var pageSize: Int

    public init(publicBaseURL: String, sessionLifetime: Duration = .seconds(8 * 3600), pageSize: Int = 50) {
        self.publicBaseURL = publicBaseURL
        self.sessionLifetime = sessionLifetime
        self.pageSize = pageSize
    }
}
