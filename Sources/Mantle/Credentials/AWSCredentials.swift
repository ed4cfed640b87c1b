/// An AWS access key pair, with the session token of temporary credentials.
///
/// Its `description` shows only the access key id's last four characters.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible {
    /// The access key id (`AKIA…` long-term, `ASIA…` temporary).
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: MantleSecret
    /// The session token of temporary credentials.
    public var sessionToken: MantleSecret?

    /// Credentials from their parts.
    public init(accessKeyID: String, secretAccessKey: MantleSecret, sessionToken: MantleSecret? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// `AWSCredentials(…ABCD, session)`: enough to tell two keys apart, not enough to use one.
    public var description: String {
        "AWSCredentials(…\(accessKeyID.suffix(4))\(sessionToken == nil ? "" : ", session"))"
    }
}
