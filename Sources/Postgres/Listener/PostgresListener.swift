public import Logging

/// `LISTEN` on some channels as an async sequence of ``PostgresListenerEvent``s.
///
/// Each iteration opens a dedicated connection (outside any pool) served by a thread of its own,
/// which waits on the socket with `poll()`. When the connection drops, the thread reconnects with
/// jittered backoff, forever, re-`LISTEN`s and yields ``PostgresListenerEvent/reconnected``. The
/// sequence ends, and the connection closes, when the iterating task is cancelled or the iterator
/// is dropped.
///
/// ```swift
/// for await event in pool.listen(["jobs_queued"]) {
///     switch event {
///     case .notification(_, let payload): wake(payload)
///     case .reconnected: pollForMissedWork()
///     }
/// }
/// ```
public struct PostgresListener: AsyncSequence, Sendable {
    /// The events.
    public typealias Element = PostgresListenerEvent
    /// Never fails: connection problems are retried, not thrown.
    public typealias Failure = Never

    let configuration: PostgresConfiguration
    let channels: [String]
    let logger: Logger

    /// A listener for `channels`; nothing connects until iteration starts.
    public init(configuration: PostgresConfiguration, channels: [String], logger: Logger) {
        self.configuration = configuration
        self.channels = channels
        self.logger = logger
    }

    /// Starts the listening thread and returns an iterator over its events.
    public func makeAsyncIterator() -> Iterator {
        let (stream, continuation) = AsyncStream.makeStream(of: PostgresListenerEvent.self, bufferingPolicy: .unbounded)
        let loop = ListenerLoop(configuration: configuration, channels: channels, logger: logger, events: continuation)
        continuation.onTermination = { _ in loop.stop() }
        loop.start()
        return Iterator(events: stream.makeAsyncIterator())
    }

    /// Yields events until the task is cancelled.
    public struct Iterator: AsyncIteratorProtocol {
        var events: AsyncStream<PostgresListenerEvent>.Iterator

        /// The next event; `nil` once the iterating task is cancelled.
        public mutating func next() async -> PostgresListenerEvent? {
            await events.next()
        }

        /// The next event, on the caller's isolation.
        public mutating func next(isolation actor: isolated (any Actor)?) async -> PostgresListenerEvent? {
            await events.next(isolation: actor)
        }
    }
}
