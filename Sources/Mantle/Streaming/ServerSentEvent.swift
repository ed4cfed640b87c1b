/// One event of a `text/event-stream` body, as the WHATWG HTML "server-sent events" section
/// defines it: the `event` name (default "message"), the joined `data` lines, the last `id`.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field, or "message" when the event named none.
    public var event: String
    /// The `data:` lines joined with "\n".
    public var data: String
    /// The last `id:` seen on the stream, if any.
    public var id: String?

    public init(event: String = "message", data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}
