/// A token just created, with its secret: the only time the secret exists outside the caller.
///
/// `description` leaves the secret out, so logging or interpolating the value cannot leak it;
/// read ``secret`` explicitly to show it once.
public struct IssuedToken: Sendable, CustomStringConvertible {
    public var token: APIToken
    /// `lh_` and 43 base64url characters (32 random bytes). Only its SHA-256 is stored.
    public var secret: String

    public init(token: APIToken, secret: String) {
        self.token = token
        self.secret = secret
    }

    /// The token's id and name, never the secret.
    public var description: String {
        "IssuedToken(\(token.publicID), name: '\(token.name)', project: \(token.project ?? "admin"))"
    }
}
