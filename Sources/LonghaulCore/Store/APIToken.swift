public import Foundation

/// An API token as it is listed: its public id and name, never its secret (which is not stored).
public struct APIToken: Sendable, Equatable, Codable {
    /// `tok_…`, what `tokens revoke` and the API's token routes take.
    public var publicID: String
    /// A label for people (who or what uses it).
    public var name: String
    /// The project's slug; nil for an admin token.
    public var project: String?
    public var createdAt: Date
    /// Updated at most once a minute, so it says "used recently", not "used at this instant".
    public var lastUsedAt: Date?
    /// When it stopped working; nil while it works.
    public var revokedAt: Date?
    /// Reads what its scope allows and changes nothing (`tokens create --read-only`).
    public var readOnly: Bool

    public init(
        publicID: String, name: String, project: String?, createdAt: Date, lastUsedAt: Date?, revokedAt: Date?, readOnly: Bool = false
    ) {
        self.readOnly = readOnly
        self.publicID = publicID
        self.name = name
        self.project = project
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// Whether the token still authenticates.
    public var isActive: Bool { revokedAt == nil }
}
