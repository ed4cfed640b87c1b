/// What a ``PostgresListener`` yields.
public enum PostgresListenerEvent: Sendable, Hashable {
    /// A `NOTIFY` arrived on one of the channels.
    case notification(channel: String, payload: String)
    /// The listener lost its connection (or could not connect at first), connected again and
    /// re-issued its `LISTEN`s. Notifications sent meanwhile are lost: consumers should look for
    /// the work they would have been told about (a catch-up poll).
    case reconnected
}
