/// A new batch's identity.
public struct BatchRecord: Sendable, Equatable {
    public var id: Int64
    public var publicID: String
    public var name: String
}
