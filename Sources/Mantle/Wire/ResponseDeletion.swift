/// The answer to `DELETE {prefix}/responses/{id}`: `{"id","object":"response","deleted":true}`.
public struct ResponseDeletion: Sendable, Hashable, Codable {
    /// The deleted Response's id.
    public var id: String
    /// Whether the Response is gone.
    public var deleted: Bool

    /// A deletion record.
    public init(id: String, deleted: Bool) {
        self.id = id
        self.deleted = deleted
    }
}
