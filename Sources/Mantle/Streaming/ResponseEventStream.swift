import Foundation
import HTTPClient

/// The stream of a background Response as it runs: each element is the `StreamedResponse` so
/// far, after one network read; the last has its `ending` set, and then the sequence ends. It
/// never throws: a cut, an idle connection or an unreadable event is an `.interrupted` ending.
/// Cancelling the reading task (or dropping the stream) closes the connection: `.cancelled`.
/// Iterate it once.
public struct ResponseEventStream: AsyncSequence, Sendable {
    public typealias Element = StreamedResponse
    public typealias Failure = Never

    let body: HTTPBodyStream
    /// What was read before this sequence begins, and the bytes of an event begun but not ended.
    let start: StreamedResponse
    let events: ServerSentEventParser

    init(body: HTTPBodyStream, start: StreamedResponse, events: ServerSentEventParser = ServerSentEventParser()) {
        self.body = body
        self.start = start
        self.events = events
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(body: body.makeAsyncIterator(), state: start, events: events)
    }

    /// The stream from where `iterator` has got to.
    init(continuing iterator: Iterator, body: HTTPBodyStream) {
        self.init(body: body, start: iterator.state, events: iterator.events)
    }

    public struct Iterator: AsyncIteratorProtocol {
        var body: HTTPBodyStream.Iterator
        var state: StreamedResponse
        var events: ServerSentEventParser
        var done = false

        public mutating func next() async -> StreamedResponse? {
            guard !done else { return nil }
            do {
                if let chunk = try await body.next() {
                    for event in events.consume(chunk) { state.apply(data: Data(event.data.utf8)) }
                } else {
                    state.interrupt("the stream ended before its terminal event")
                }
            } catch let error as HTTPClientError where error.kind == .cancelled {
                state.cancel()
            } catch {
                state.interrupt("\(error)")
            }
            done = state.ending != nil
            return state
        }
    }
}
